"""Read-side helpers for guide pages: the filtered, searched, paginated index."""

from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.db.models.lookups import StartsWith
from taggit.models import Tag
from wagtail.models import PageViewRestriction

from .forms import GuideFilterForm
from .models import GuidePage, GuideTopic

GUIDES_PER_PAGE = 10


def live_guides(index_page=None):
    """Live guides outside any private section (one SQL query, whatever is asked)."""
    guides = GuidePage.objects.live().exclude(Exists(restrictions_covering_page()))
    if index_page is not None:
        guides = guides.child_of(index_page)
    return guides


def restrictions_covering_page():
    """View restrictions on a page or on one of its ancestors.

    Same rule as Wagtail's `PageQuerySet.public()`, written as a correlated subquery:
    `public()` first reads every restriction in a query of its own.
    """
    return PageViewRestriction.objects.filter(StartsWith(OuterRef("path"), F("page__path")))


def with_card_data(guides):
    """What a guide card shows, fetched in a fixed number of queries."""
    return with_page_data(guides).defer_streamfields()


def with_page_data(guides):
    """What a guide page shows besides its body, fetched with the page."""
    return guides.select_related("publisher").prefetch_related(
        "audiences",
        Prefetch("tagged_items", queryset=GuideTopic.objects.select_related("tag")),
    )


def guide_index_context(index_page, request):
    guides = live_guides(index_page)
    topics = Tag.objects.filter(guides_guidetopic_items__content_object__in=guides).distinct()
    topics = list(topics.order_by("name"))
    form = GuideFilterForm(request.GET or None, topics=topics)
    query = ""
    if form.is_valid():
        if audience := form.cleaned_data["public"]:
            guides = guides.filter(audiences__code=audience)
        if topic := form.cleaned_data["theme"]:
            guides = guides.filter(tagged_items__tag__slug=topic)
        query = form.cleaned_data["q"].strip()
    if query:
        page_obj, cards = search_page(guides, query, request.GET.get("page"))
    else:
        paginator = Paginator(with_card_data(guides.order_by("title")), GUIDES_PER_PAGE)
        page_obj = paginator.get_page(request.GET.get("page"))
        cards = list(page_obj.object_list)
    return {
        "filter_form": form,
        "query": query,
        "page_obj": page_obj,
        "guides": cards,
        "is_filtered": bool(form.is_bound and any(form.data.get(k) for k in form.fields)),
        "querystring_without_page": querystring_without_page(request),
    }


def search_page(guides, query, page_number):
    """Wagtail search (database backend: French stemming on PostgreSQL) over the
    filtered guides, then the cards of one page re-read with their relations."""
    ids = list(guides.values_list("pk", flat=True))
    results = GuidePage.objects.live().filter(pk__in=ids).search(query, operator="and")
    paginator = Paginator(results, GUIDES_PER_PAGE)
    page_obj = paginator.get_page(page_number)
    page_ids = [guide.pk for guide in page_obj.object_list]
    by_id = {guide.pk: guide for guide in with_card_data(GuidePage.objects.filter(pk__in=page_ids))}
    return page_obj, [by_id[pk] for pk in page_ids if pk in by_id]


def querystring_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def related_guides(guide, limit=3):
    """Live guides sharing topics with `guide`, most shared topics first."""
    tag_ids = [item.tag_id for item in guide.tagged_items.all()]
    if not tag_ids:
        return []
    return list(
        live_guides()
        .exclude(pk=guide.pk)
        .filter(tagged_items__tag_id__in=tag_ids)
        .annotate(shared=Count("tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids)))
        .order_by("-shared", "title")
        .defer_streamfields()[:limit]
    )
