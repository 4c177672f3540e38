"""« Analyse des réponses » of a quiz, in the admin (/admin/pilotage/quiz/<id>/).

A thin view: who may see it (`access`), the period (`forms.PeriodForm`, a GET form:
bad dates are reported and the default period is used), the figures
(`courses.modules.item_analysis`, computed in the database).
"""

from django.contrib import messages
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from courses.modules.item_analysis import MIN_PEOPLE, quiz_item_analysis

from .access import get_quiz_for
from .forms import PeriodForm


class ItemAnalysisView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "pilotage/item_analysis/quiz.html"
    page_title = gettext_lazy("Analyse des réponses")
    header_icon = "list-ul"
    http_method_names = ["get", "head", "options"]

    def dispatch(self, request, quiz_id):
        self.quiz, self.module = get_quiz_for(request.user, quiz_id)
        return super().dispatch(request, quiz_id)

    def get_page_subtitle(self):
        return self.module.title

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {
                "url": "",
                "label": _("Analyse des réponses : %(module)s") % {"module": self.module.title},
            },
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        form = PeriodForm(self.request.GET or None, initial=PeriodForm.initial_period(today))
        start, end = form.period(today)
        if form.is_bound and not form.is_valid():
            # The form shows what is wrong; the figures fall back to the default period.
            messages.warning(
                self.request, _("Période invalide : les douze derniers mois sont affichés.")
            )
        context.update(
            form=form,
            quiz=self.quiz,
            module=self.module,
            analysis=quiz_item_analysis(self.quiz, start, end),
            min_people=MIN_PEOPLE,
        )
        return context
