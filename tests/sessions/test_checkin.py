"""Self check-in: the 60-second token and short code, the slot's time window, the device flag."""

from datetime import timedelta

import pytest
from django.core import signing

from courses.models import Attendance, AttendanceMark
from courses.models.sessions import AttendanceStatus, MarkMethod, SessionStatus
from courses.sessions import checkin
from courses.sessions.checkin import check_in, current_checkin, shared_devices
from courses.sessions.errors import SessionError
from tests.conftest import make_user

from .factories import add_participant, build_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    return build_session(slots=2)


@pytest.fixture
def slot(session):
    return session.slots.first()


@pytest.fixture
def registration(session, professional):
    return add_participant(session, professional)


def during(slot, minutes=30, seconds=0):
    return slot.starts_at + timedelta(minutes=minutes, seconds=seconds)


def refused(code, *args, **kwargs):
    with pytest.raises(SessionError) as excinfo:
        check_in(*args, **kwargs)
    assert excinfo.value.code == code, excinfo.value.code
    return excinfo.value


# --- The trainer's screen ------------------------------------------------------------------------


def test_the_screen_shows_a_token_a_code_and_when_they_change(slot):
    now = during(slot, seconds=12)

    shown = current_checkin(slot, now)

    assert ":" in shown.token
    assert len(shown.short_code) == 6
    assert set(shown.short_code) <= set(checkin.CODE_ALPHABET)
    assert shown.expires_at > now
    assert shown.expires_at - now <= timedelta(seconds=60)
    assert shown.expires_at.timestamp() % 60 == 0


def test_token_and_code_change_every_minute_and_differ_between_slots(session, slot):
    now = during(slot)
    first = current_checkin(slot, now)
    same_minute = current_checkin(slot, first.expires_at - timedelta(seconds=1))
    next_minute = current_checkin(slot, first.expires_at)
    other_slot = session.slots.last()
    other = checkin.make_code(other_slot.pk, checkin.window_of(now))

    assert same_minute == first
    assert next_minute.token != first.token
    assert next_minute.short_code != first.short_code
    assert other != first.short_code


def test_the_screen_is_closed_outside_the_slot(slot):
    for now in (slot.starts_at - timedelta(minutes=16), slot.ends_at + timedelta(seconds=1)):
        with pytest.raises(SessionError) as excinfo:
            current_checkin(slot, now)
        assert excinfo.value.code == "checkin_closed"
    assert current_checkin(slot, slot.starts_at - timedelta(minutes=15))


def test_the_code_depends_on_the_secret_key(slot, settings):
    window = checkin.window_of(during(slot))
    code = checkin.make_code(slot.pk, window)
    token = checkin.make_token(slot.pk, window)

    settings.SECRET_KEY = "une-autre-cle-secrete-" + "x" * 40

    assert checkin.make_code(slot.pk, window) != code
    assert checkin.make_token(slot.pk, window) != token


# --- Checking in ---------------------------------------------------------------------------------


def test_scanning_the_qr_code_marks_the_participant_present(slot, registration, professional):
    now = during(slot)
    shown = current_checkin(slot, now)

    attendance = check_in(professional, shown.token, device_id="device-1", now=now)

    assert attendance.status == AttendanceStatus.PRESENT
    assert attendance.method == MarkMethod.SELF_CHECK_IN
    assert attendance.marked_by == professional
    assert attendance.registration == registration
    mark = AttendanceMark.objects.get()
    assert mark.method == MarkMethod.SELF_CHECK_IN
    assert mark.device == checkin.device_hash("device-1")
    assert len(mark.device) == 64 and "device-1" not in mark.device


@pytest.mark.parametrize("typed", ["{code}", "{lower}", " {spaced} "])
def test_typing_the_short_code_marks_present_without_naming_the_slot(
    slot, registration, professional, typed
):
    now = during(slot)
    code = current_checkin(slot, now).short_code
    typed = typed.format(code=code, lower=code.lower(), spaced=f"{code[:3]} {code[3:]}")

    attendance = check_in(professional, typed, now=now)

    assert attendance.slot == slot
    assert attendance.status == AttendanceStatus.PRESENT


def test_the_code_reads_o_as_zero_and_i_or_l_as_one(slot, registration, professional):
    now = during(slot)
    code = current_checkin(slot, now).short_code
    typed = code.replace("0", "o").replace("1", "l")

    assert check_in(professional, typed, slot=slot, now=now).status == AttendanceStatus.PRESENT


def test_a_code_typed_as_the_screen_changes_still_works(slot, registration, professional):
    shown = current_checkin(slot, during(slot))

    attendance = check_in(professional, shown.short_code, slot=slot, now=shown.expires_at)

    assert attendance.status == AttendanceStatus.PRESENT


def test_a_token_replayed_after_its_window_is_refused(slot, registration, professional):
    shown = current_checkin(slot, during(slot))
    later = shown.expires_at + timedelta(seconds=60)

    refused("checkin_expired", professional, shown.token, now=later)
    refused("checkin_expired", professional, shown.short_code, slot=slot, now=later)
    refused("checkin_expired", professional, shown.short_code, now=later)
    assert not Attendance.objects.exists()


def test_a_token_of_another_slot_is_refused(session, slot, registration, professional):
    other = session.slots.last()
    now = during(slot)
    token = checkin.make_token(other.pk, checkin.window_of(now))
    code = checkin.make_code(other.pk, checkin.window_of(now))

    refused("checkin_other_slot", professional, token, slot=slot, now=now)
    # The other slot (tomorrow) is not open: its code matches nothing running now.
    refused("checkin_invalid", professional, code, slot=slot, now=now)
    assert not Attendance.objects.exists()


def test_a_code_of_another_running_session_is_refused_on_this_slots_page(
    slot, registration, professional
):
    elsewhere = build_session(slots=1, start=slot.date).slots.get()
    now = during(slot)
    code = current_checkin(elsewhere, now).short_code

    refused("checkin_other_slot", professional, code, slot=slot, now=now)


def test_a_token_of_another_session_is_refused_as_not_registered(slot, registration, professional):
    elsewhere = build_session(slots=1, start=slot.date).slots.get()
    now = during(slot)
    shown = current_checkin(elsewhere, now)

    refused("not_registered", professional, shown.token, now=now)
    refused("not_registered", professional, shown.short_code, now=now)
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: signing.Signer(salt="autre-sel").sign_object(
            signing.Signer(salt=checkin.TOKEN_SALT).unsign_object(token)
        ),
        lambda token: signing.Signer(key="x" * 50, salt=checkin.TOKEN_SALT).sign_object(
            signing.Signer(salt=checkin.TOKEN_SALT).unsign_object(token)
        ),
        lambda token: signing.dumps(
            signing.Signer(salt=checkin.TOKEN_SALT).unsign_object(token), salt="other"
        ),
        lambda token: "e30:" + token.split(":", 1)[1],  # another payload, same signature
        lambda token: ":",
        lambda token: "x" * 300,
        lambda token: "ZZZZZZ",  # a well-formed code that is no slot's
        lambda token: "ZZ",
        lambda token: "",
        lambda token: None,
        lambda token: 12345,
    ],
)
def test_forged_or_malformed_tokens_are_refused(slot, registration, professional, forge):
    now = during(slot)
    forged = forge(current_checkin(slot, now).token)

    refused("checkin_invalid", professional, forged, slot=slot, now=now)
    assert not Attendance.objects.exists()


def test_a_validly_signed_token_outside_the_slot_window_is_refused(
    slot, registration, professional
):
    for now in (slot.starts_at - timedelta(minutes=20), slot.ends_at + timedelta(minutes=1)):
        token = checkin.make_token(slot.pk, checkin.window_of(now))
        refused("checkin_closed", professional, token, now=now)
    assert not Attendance.objects.exists()


def test_check_in_opens_fifteen_minutes_before_the_start(slot, registration, professional):
    now = slot.starts_at - timedelta(minutes=15)

    assert check_in(professional, current_checkin(slot, now).token, now=now)


def test_someone_not_registered_is_told_so(slot, django_user_model):
    stranger = make_user(django_user_model, "inconnue@example.org")
    now = during(slot)
    shown = current_checkin(slot, now)

    error = refused("not_registered", stranger, shown.token, now=now)
    refused("not_registered", stranger, shown.short_code, now=now)
    assert error.message  # the view shows it: « demandez au formateur de vous ajouter »
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("status", ["waiting", "cancelled"])
def test_a_waiting_or_cancelled_registration_cannot_check_in(session, slot, professional, status):
    add_participant(session, professional, status=status)
    now = during(slot)

    refused("not_registered", professional, current_checkin(slot, now).token, now=now)


def test_a_cancelled_or_finished_session_takes_no_check_in(
    session, slot, registration, professional
):
    now = during(slot)
    token = current_checkin(slot, now).token
    session.status = SessionStatus.FINISHED
    session.save()
    refused("checkin_closed", professional, token, now=now)

    session.status = SessionStatus.CANCELLED
    session.save()
    refused("session_cancelled", professional, token, now=now)
    with pytest.raises(SessionError):
        current_checkin(slot, now)


def test_checking_in_twice_changes_nothing(slot, registration, professional):
    now = during(slot)
    token = current_checkin(slot, now).token

    first = check_in(professional, token, now=now)
    again = check_in(professional, token, now=now + timedelta(seconds=5))

    assert again.pk == first.pk
    assert again.marked_at == now
    assert AttendanceMark.objects.count() == 1


def test_a_participant_marked_absent_who_checks_in_becomes_present(
    slot, registration, professional
):
    from courses.sessions.attendance import mark_attendance

    trainer = slot.session.trainers.get()
    mark_attendance(trainer, slot, registration, AttendanceStatus.ABSENT, now=during(slot, 1))

    attendance = check_in(
        professional, current_checkin(slot, during(slot, 20)).token, now=during(slot, 20)
    )

    assert attendance.status == AttendanceStatus.PRESENT
    assert [mark.previous_status for mark in attendance.history.all()] == ["", "absent"]


def test_a_trainer_mark_of_late_is_kept_when_the_participant_scans(
    slot, registration, professional
):
    from courses.sessions.attendance import mark_attendance

    trainer = slot.session.trainers.get()
    mark_attendance(trainer, slot, registration, AttendanceStatus.LATE, now=during(slot, 40))

    attendance = check_in(
        professional, current_checkin(slot, during(slot, 41)).token, now=during(slot, 41)
    )

    assert attendance.status == AttendanceStatus.LATE
    assert attendance.method == MarkMethod.TRAINER


# --- Shared devices ------------------------------------------------------------------------------


def test_one_device_checking_in_several_people_is_flagged(session, slot, django_user_model):
    people = [make_user(django_user_model, f"p{i}@example.org") for i in range(4)]
    registrations = [add_participant(session, person) for person in people]
    now = during(slot)
    token = current_checkin(slot, now).token
    check_in(people[0], token, device_id="phone-a", now=now)
    check_in(people[1], token, device_id="phone-a", now=now)
    check_in(people[2], token, device_id="phone-b", now=now)
    check_in(people[3], token, now=now)  # no cookie: not comparable, not flagged

    flagged = shared_devices(slot)

    assert list(flagged) == [checkin.device_hash("phone-a")]
    assert flagged[checkin.device_hash("phone-a")] == registrations[:2]


def test_shared_devices_takes_two_queries(
    session, slot, django_user_model, django_assert_num_queries
):
    now = during(slot)
    token = current_checkin(slot, now).token
    for index in range(6):
        person = make_user(django_user_model, f"q{index}@example.org")
        add_participant(session, person)
        check_in(person, token, device_id=f"phone-{index % 2}", now=now)

    with django_assert_num_queries(2):
        flagged = shared_devices(slot)
        names = [registration.user.email for people in flagged.values() for registration in people]

    assert len(flagged) == 2 and len(names) == 6


def test_the_same_device_in_another_slot_is_not_flagged(session, django_user_model):
    first, second = session.slots.all()
    a, b = (make_user(django_user_model, f"{n}@example.org") for n in "ab")
    for person in (a, b):
        add_participant(session, person)
    check_in(a, current_checkin(first, during(first)).token, device_id="phone", now=during(first))
    check_in(
        b, current_checkin(second, during(second)).token, device_id="phone", now=during(second)
    )

    assert shared_devices(first) == {}
    assert shared_devices(second) == {}
