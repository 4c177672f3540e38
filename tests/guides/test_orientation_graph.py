"""The « Que faire ? » graph rules, without pages: path parsing and validation."""

import pytest

from guides.orientation import (
    MAX_DEPTH,
    OUTCOME,
    STEP,
    Answer,
    GraphError,
    Node,
    parse_path,
    shortest_path,
    validate_start,
    validate_step,
)


def step(pk, *answers):
    return Node(pk, STEP, title=f"Q{pk}", question=f"Question {pk} ?", answers=tuple(answers))


def outcome(pk):
    return Node(pk, OUTCOME, title=f"Issue {pk}")


def graph_of(*nodes):
    return {node.id: node for node in nodes}


@pytest.fixture
def graph():
    # 1 --a--> 2 --c--> 10
    #   --b--> 11   --d--> 11
    return graph_of(
        step(1, Answer("a", "A", 2), Answer("b", "B", 11)),
        step(2, Answer("c", "C", 10), Answer("d", "D", 11)),
        outcome(10),
        outcome(11),
    )


def chain(length):
    """A start step, then `length - 1` more steps in a row, then an outcome: `length`
    answers from the start to the outcome."""
    nodes = [
        step(pk, Answer("suite", "Suite", pk + 1), Answer("fin", "Fin", 999))
        for pk in range(1, length + 1)
    ]
    nodes[-1] = step(length, Answer("suite", "Suite", 999), Answer("fin", "Fin", 999))
    return graph_of(*nodes, outcome(999))


def test_parse_the_start(graph):
    trail = parse_path(graph, 1, [])
    assert trail.node.id == 1
    assert trail.taken == ()


def test_parse_a_path_to_an_outcome(graph):
    trail = parse_path(graph, 1, ["a", "c"])
    assert trail.node.id == 10
    assert [(node.id, answer.key) for node, answer in trail.taken] == [(1, "a"), (2, "c")]


@pytest.mark.parametrize(
    "segments",
    [["x"], ["a", "x"], ["b", "c"], ["a", "c", "c"], ["A"], [""], ["a"] * (MAX_DEPTH + 1)],
)
def test_parse_refuses_what_is_not_a_path(graph, segments):
    assert parse_path(graph, 1, segments) is None


def test_parse_refuses_a_target_missing_from_the_live_graph(graph):
    del graph[10]
    assert parse_path(graph, 1, ["a", "c"]) is None


def test_parse_without_a_start():
    assert parse_path({}, None, []) is None


def test_a_valid_step_passes(graph):
    validate_step(graph, 1, 2, [Answer("c", "C", 10), Answer("d", "D", 11)])


def test_a_cycle_is_refused(graph):
    with pytest.raises(GraphError) as excinfo:
        validate_step(graph, 1, 2, [Answer("c", "C", 1), Answer("d", "D", 11)])
    assert excinfo.value.code == "cycle"


def test_an_answer_to_the_step_itself_is_a_cycle(graph):
    with pytest.raises(GraphError) as excinfo:
        validate_step(graph, 1, 2, [Answer("c", "C", 2), Answer("d", "D", 11)])
    assert excinfo.value.code == "cycle"


def test_a_dead_end_is_refused(graph):
    graph[3] = step(3)  # a live question without answers
    with pytest.raises(GraphError) as excinfo:
        validate_step(graph, 1, 2, [Answer("c", "C", 3), Answer("d", "D", 11)])
    assert excinfo.value.code == "dead_end"


def test_an_unpublished_target_is_refused(graph):
    # 12 is not in the live graph (a draft, or outside this path).
    with pytest.raises(GraphError) as excinfo:
        validate_step(graph, 1, 2, [Answer("c", "C", 12), Answer("d", "D", 11)])
    assert excinfo.value.code == "missing_target"


def test_twelve_levels_pass_and_thirteen_are_refused():
    validate_start(chain(MAX_DEPTH), 1)
    with pytest.raises(GraphError) as excinfo:
        validate_start(chain(MAX_DEPTH + 1), 1)
    assert excinfo.value.code == "too_deep"
    assert excinfo.value.params["depth"] == MAX_DEPTH + 1


def test_depth_counts_the_path_above_the_step_being_saved():
    graph = chain(MAX_DEPTH)
    # Step 12 (12th question) gets a further question below it: 13 levels.
    graph[500] = step(500, Answer("x", "X", 999), Answer("y", "Y", 999))
    with pytest.raises(GraphError) as excinfo:
        validate_step(graph, 1, MAX_DEPTH, [Answer("plus", "Plus", 500), Answer("fin", "Fin", 999)])
    assert excinfo.value.code == "too_deep"


def test_a_start_that_is_an_outcome_is_refused(graph):
    with pytest.raises(GraphError) as excinfo:
        validate_start(graph, 10)
    assert excinfo.value.code == "start_is_outcome"


def test_a_long_graph_is_checked_without_recursion_limits():
    validate_step(chain(MAX_DEPTH), 1, 1, [Answer("suite", "S", 2), Answer("fin", "F", 999)])


def test_shortest_path(graph):
    assert shortest_path(graph, 1, 11) == ["b"]
    assert shortest_path(graph, 1, 10) == ["a", "c"]
    assert shortest_path(graph, 1, 1) == []
    assert shortest_path(graph, 1, 404) is None
