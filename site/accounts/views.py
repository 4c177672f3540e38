"""Profile page, the « Mon espace » profile prompt, and the doors that send Wagtail's own
login pages to allauth."""

from allauth.account import views as allauth_views
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import reminders, services
from .forms import ProfileForm, ProfilePromptForm


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_profile(request.user, **form.profile_data())
        messages.success(request, _("Votre profil a été enregistré."))
        return redirect("account_profile")
    return render(request, "accounts/profile.html", {"form": form})


#: The prompt's buttons: « Enregistrer » and « Ne plus me demander ».
PROMPT_SAVE, PROMPT_DISMISS = "save", "dismiss"


@login_required
@require_POST
def profile_prompt(request):
    """The answer to the once-only box of « Mon espace » (sector and workplace).

    Either button sets `profile_prompt_answered_at`, then back to the page the box was
    on (« Mon espace », a `next` on this site). A value that is not in the lists is
    shown again with its message on a page of its own; nothing is stored.
    """
    back = _safe_next(request, settings.LOGIN_REDIRECT_URL, source=request.POST)
    if request.POST.get("action") == PROMPT_DISMISS:
        services.answer_profile_prompt(request.user, dismissed=True)
        messages.info(
            request,
            _("C'est noté : nous ne vous le demanderons plus. Votre profil reste modifiable."),
        )
        return redirect(back)
    form = ProfilePromptForm(request.POST)
    if not form.is_valid():
        return render(request, "accounts/profile_prompt.html", {"form": form, "next": back})
    services.answer_profile_prompt(request.user, **form.profile_data())
    messages.success(request, _("Merci, votre profil a été enregistré."))
    return redirect(back)


def _safe_next(request, default, source=None):
    next_url = (request.GET if source is None else source).get("next", "")
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


class LogoutView(allauth_views.LogoutView):
    """allauth's logout, which also empties the browser's HTTP cache of this site.

    Pages rendered for the person (« Mon espace », certificates, their profile) are
    `Cache-Control: private`: the browser may keep them, and Back would show them to
    the next person at a shared computer. `Clear-Site-Data: "cache"` drops them.
    It leaves the service worker's Cache Storage alone (that is "storage", which would
    also unregister the worker): the offline set holds only anonymous public pages and
    survives logout (site/offline/serviceworker.js, `clearPersonal`).
    """

    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        response["Clear-Site-Data"] = '"cache"'
        return response
