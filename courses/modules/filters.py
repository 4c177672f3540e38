"""Read-side helpers for the module index: the audience/topic filter and card data."""

from django.db.models import Exists, Prefetch
from taggit.models import Tag

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
    modules = live_modules(index_page)
    topics = Tag.objects.filter(courses_moduletopic_items__content_object__in=modules)
    topics = list(topics.distinct().order_by("name"))
    form = ModuleFilterForm(request.GET or None, topics=topics)
    if form.is_valid():
        if audience := form.cleaned_data["public"]:
            modules = modules.filter(audiences__code=audience)
        if topic := form.cleaned_data["theme"]:
            modules = modules.filter(tagged_items__tag__slug=topic)
    return {
        "filter_form": form,
        "modules": list(with_card_data(modules.distinct().order_by("path"))),
        "is_filtered": bool(form.is_bound and any(form.data.get(k) for k in form.fields)),
    }
