"""The « Que faire ? » path as a graph: pure functions, no database.

A graph is `{node_id: Node}`; a step has answers `(key, label, target_id)`, an outcome
has none. The models (`guides.models.orientation`) read the live pages into this shape
once per content generation; routing and validation then work on plain data, so that
they are tested without pages and cost no query.

Rules (issue 16):
- a path is at most `MAX_DEPTH` answers long, from the start step to an outcome;
- no cycle: walking the answers never comes back to a step already on the path;
- no dead end: every step has answers and every path ends on an outcome;
- an answer leads to a live step or outcome of the same path (`missing_target`).
"""

from dataclasses import dataclass, field

MAX_DEPTH = 12
STEP = "step"
OUTCOME = "outcome"


@dataclass(frozen=True)
class Answer:
    key: str
    label: str
    target: int


@dataclass
class Node:
    id: int
    kind: str
    title: str = ""
    question: str = ""
    help_text: str = ""
    answers: tuple = field(default_factory=tuple)

    @property
    def is_outcome(self):
        return self.kind == OUTCOME

    def answer(self, key):
        return next((answer for answer in self.answers if answer.key == key), None)


class GraphError(Exception):
    """A path that must not be saved; `code` is stable, `params` fill the message."""

    def __init__(self, code, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Trail:
    """Where a path URL leads: the answers taken and the node reached."""

    taken: tuple  # ((step Node, Answer), ...) in order
    node: Node


def parse_path(graph, start_id, segments):
    """The Trail of `segments` (answer keys) from the start step, or None.

    None for anything that is not a path of the graph: an unknown key, a segment after
    an outcome, a node missing from the (live) graph, more than MAX_DEPTH segments.
    """
    if len(segments) > MAX_DEPTH:
        return None
    node = graph.get(start_id)
    if node is None:
        return None
    taken = []
    for key in segments:
        if node.is_outcome:
            return None
        answer = node.answer(key)
        if answer is None or answer.target not in graph:
            return None
        taken.append((node, answer))
        node = graph[answer.target]
    return Trail(tuple(taken), node)


def with_answers(graph, step_id, answers):
    """A copy of `graph` where `step_id` has `answers` (the step as an editor saves it)."""
    changed = dict(graph)
    current = graph.get(step_id)
    changed[step_id] = Node(
        id=step_id,
        kind=STEP,
        title=current.title if current else "",
        answers=tuple(answers),
    )
    return changed


def longest_to_outcome(graph, node_id):
    """The number of answers of the longest path from `node_id` to an outcome.

    Raises GraphError: `cycle` (a path comes back to a step), `dead_end` (a step
    without answers), `missing_target` (an answer to a node outside the graph).
    Iterative depth-first walk with memo: linear in the graph's size.
    """
    memo = {}
    on_path = set()
    stack = [(node_id, False)]
    while stack:
        current, expanded = stack.pop()
        node = graph.get(current)
        if node is None:
            raise GraphError("missing_target", target=current)
        if expanded:
            on_path.discard(current)
            memo[current] = 1 + max(memo[answer.target] for answer in node.answers)
            continue
        if current in memo:
            continue
        if node.is_outcome:
            memo[current] = 0
            continue
        if not node.answers:
            raise GraphError("dead_end", step=node.title or current)
        on_path.add(current)
        stack.append((current, True))
        for answer in node.answers:
            if answer.target in on_path:
                raise GraphError("cycle", step=node.title or current)
            if answer.target not in memo:
                stack.append((answer.target, False))
    return memo[node_id]


def longest_from_start(graph, start_id, node_id):
    """The longest number of answers from the start step to `node_id`, or None when
    `node_id` cannot be reached. Assumes no cycle (checked before)."""
    memo = {}

    def walk(current, seen):
        if current == node_id:
            return 0
        if current in memo:
            return memo[current]
        node = graph.get(current)
        best = None
        if node is not None and not node.is_outcome and current not in seen:
            for answer in node.answers:
                found = walk(answer.target, seen | {current})
                if found is not None and (best is None or found + 1 > best):
                    best = found + 1
        memo[current] = best
        return best

    return walk(start_id, frozenset())


def validate_step(graph, start_id, step_id, answers):
    """Raise GraphError if saving `step_id` with `answers` breaks a rule of the module.

    `graph` is the live graph; the step's new answers replace its live ones. Targets
    must be in the graph (live nodes of the same path).
    """
    for answer in answers:
        if answer.target == step_id:
            raise GraphError("cycle", step=answer.label)
        if answer.target not in graph:
            raise GraphError("missing_target", target=answer.label)
    changed = with_answers(graph, step_id, answers)
    below = longest_to_outcome(changed, step_id)
    above = longest_from_start(changed, start_id, step_id) if start_id else None
    depth = below + (above or 0)
    if depth > MAX_DEPTH:
        raise GraphError("too_deep", depth=depth, max=MAX_DEPTH)


def validate_start(graph, start_id):
    """Raise GraphError if `start_id` cannot start the path (same rules, from the top)."""
    if start_id not in graph:
        raise GraphError("missing_target", target=start_id)
    if graph[start_id].is_outcome:
        raise GraphError("start_is_outcome")
    depth = longest_to_outcome(graph, start_id)
    if depth > MAX_DEPTH:
        raise GraphError("too_deep", depth=depth, max=MAX_DEPTH)


def shortest_path(graph, start_id, node_id):
    """The answer keys of a shortest path from the start to `node_id`, or None."""
    if start_id not in graph:
        return None
    frontier = [(start_id, ())]
    seen = {start_id}
    while frontier:
        following = []
        for current, keys in frontier:
            if current == node_id:
                return list(keys)
            node = graph[current]
            for answer in node.answers:
                if answer.target in graph and answer.target not in seen:
                    seen.add(answer.target)
                    following.append((answer.target, (*keys, answer.key)))
        frontier = following
    return None


def referrers(graph, node_id):
    """The steps of the graph with an answer leading to `node_id`."""
    return [
        node
        for node in graph.values()
        if any(answer.target == node_id for answer in node.answers) and node.id != node_id
    ]
