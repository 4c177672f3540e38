"""Read-side helpers for the module index: the audience/topic filter and card data."""

from django.db.models import Exists, Prefetch
from django.utils.functional import SimpleLazyObject
from taggit.models import Tag

from core.content_cache import CONTENT
from guides.forms import AudienceTopicFilterForm
from guides.views import restrictions_covering_page


class ModuleFilterForm(AudienceTopicFilterForm):
    """The module index's GET form: one audience, one topic."""


def live_modules(index_page):
    """Live modules of the index outside any private section (one query)."""
    from courses.models import ModulePage

    return (
        ModulePage.objects.live().child_of(index_page).exclude(Exists(restrictions_covering_page()))
    )


def with_card_data(modules):
    """What a module card shows, fetched in a fixed number of queries."""
    from courses.models import ModuleTopic

    return (
        modules.select_related("publisher")
        .prefetch_related(
            "audiences",
            Prefetch("tagged_items", queryset=ModuleTopic.objects.select_related("tag")),
        )
        .defer_streamfields()
    )


def module_index_context(index_page, request):
    """The index's filter form and its list of modules.

    The list shows nothing about the reader (no progress): the template renders it once
    per valid filter into the content cache (`listing_key`), and the queryset below is
    lazy, read only on a miss. Invalid filters are ignored, so made-up query strings
    cannot add entries.
    """
    form = ModuleFilterForm(request.GET or None, topics=index_topics(index_page))
    audience = topic = ""
    if form.is_valid():
        audience = form.cleaned_data["public"]
        topic = form.cleaned_data["theme"]

    def read_modules():
        modules = live_modules(index_page)
        if audience:
            modules = modules.filter(audiences__code=audience)
        if topic:
            modules = modules.filter(tagged_items__tag__slug=topic)
        return list(with_card_data(modules.distinct().order_by("path")))

    is_filtered = bool(form.is_bound and any(form.data.get(k) for k in form.fields))
    return {
        "filter_form": form,
        # Not even built on a hit: making the queryset costs more than the cache's answer.
        "modules": SimpleLazyObject(read_modules),
        "listing_key": f"{index_page.pk} {audience} {topic}",
        # The form as the valid filters show it (an invalid form is rendered live).
        "form_key": f"{index_page.pk} {audience} {topic} {is_filtered}"
        if form.is_valid() or not form.is_bound
        else "",
        "is_filtered": is_filtered,
    }


def index_topics(index_page):
    """The topics of the index's live modules, for the filter (from the content cache)."""

    def read():
        topics = Tag.objects.filter(
            courses_moduletopic_items__content_object__in=live_modules(index_page)
        )
        return list(topics.distinct().order_by("name"))

    return CONTENT.get_or_build(f"reperes:module-topics:{index_page.pk}", read)
