"""Profile page, and the doors that send Wagtail's own login pages to allauth."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import reminders, services
from .forms import ProfileForm


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_profile(request.user, **form.cleaned_data)
        messages.success(request, _("Votre profil a été enregistré."))
        return redirect("account_profile")
    return render(request, "accounts/profile.html", {"form": form})


def _safe_next(request, default):
    next_url = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return default


def admin_login(request):
    """/admin/login/: the admin has no login form of its own, allauth's is the only one.

    Someone already signed in without admin access gets a refusal page here:
    sending them to allauth's login would bounce them straight back to the
    admin (allauth redirects signed-in users to `next`), in a loop.
    """
    next_url = _safe_next(request, reverse("wagtailadmin_home"))
    if not request.user.is_authenticated:
        return redirect_to_login(next_url, login_url=reverse("account_login"))
    if request.user.has_perm("wagtailadmin.access_admin"):
        return redirect(next_url)
    return render(request, "accounts/admin_access_denied.html", status=403)


def frontend_login(request):
    """/_util/login/ (Wagtail's login for private pages): allauth's login instead."""
    return redirect_to_login(_safe_next(request, "/"), login_url=reverse("account_login"))


@require_http_methods(["GET", "POST"])
def learning_reminders_optout(request, token):
    """/compte/rappels/<token>/: the one-click link of the reminder e-mails, without
    logging in. GET asks for confirmation (a mail scanner following the link changes
    nothing); POST turns the reminders off. A bad or expired link changes nothing."""
    try:
        user = reminders.user_from_token(token)
    except reminders.ReminderTokenError as error:
        return render(
            request,
            "accounts/reminders_optout.html",
            {"state": "invalid", "reason": error.code},
            status=400,
        )
    if request.method == "POST":
        changed = reminders.turn_off_learning_reminders(user)
        return render(
            request, "accounts/reminders_optout.html", {"state": "done", "changed": changed}
        )
    state = "confirm" if user.learning_reminders else "already_off"
    return render(request, "accounts/reminders_optout.html", {"state": state, "token": token})
