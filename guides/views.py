"""Read-side helpers for guide pages: the filtered, searched, paginated index."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.db.models.lookups import StartsWith
from django.utils.functional import SimpleLazyObject
from taggit.models import Tag
from wagtail.models import PageViewRestriction

from core.content_cache import CONTENT, digest

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
    """The index's filter form and its listing.

    Without search words, the listing (count, cards, pagination) is the same for every
    reader: the template renders it once per valid filter and existing page number into
    the content cache (`listing_key`), and the queries below are lazy, so that they run
    only on a miss. Invalid filters are ignored and page numbers are clamped as the
    paginator does, so made-up query strings cannot add entries. A search is not cached.
    """
    form = GuideFilterForm(request.GET or None, topics=index_topics(index_page))
    query = audience = topic = ""
    if form.is_valid():
        audience = form.cleaned_data["public"]
        topic = form.cleaned_data["theme"]
        query = form.cleaned_data["q"].strip()

    def filtered_guides():
        guides = live_guides(index_page)
        if audience:
            guides = guides.filter(audiences__code=audience)
        if topic:
            guides = guides.filter(tagged_items__tag__slug=topic)
        return guides

    filters = {key: value for key, value in (("public", audience), ("theme", topic)) if value}
    listing_key = ""
    if query:
        page_obj, cards = search_page(filtered_guides(), query, request.GET.get("page"))
        filters["q"] = query
    else:
        count = CONTENT.get_or_build(
            f"reperes:guide-count:{index_page.pk}:{digest(f'{audience} {topic}')}",
            lambda: filtered_guides().count(),
        )
        # The page number as the paginator clamps it, from the cached count alone.
        number = Paginator(range(count), GUIDES_PER_PAGE).get_page(request.GET.get("page")).number

        def read_page():
            guides = with_card_data(filtered_guides().order_by("title"))
            return Paginator(guides, GUIDES_PER_PAGE).page(number)

        # Lazy, not even built on a hit: read when the listing's fragment is rendered.
        page_obj = SimpleLazyObject(read_page)
        cards = SimpleLazyObject(lambda: list(page_obj.object_list))
        listing_key = f"{index_page.pk} {audience} {topic} {number}"
    is_filtered = bool(form.is_bound and any(form.data.get(k) for k in form.fields))
    return {
        "filter_form": form,
        # The form as the valid filters show it; with search words or an invalid form
        # it is rendered live.
        "form_key": (
            f"{index_page.pk} {audience} {topic} {is_filtered}"
            if (form.is_valid() or not form.is_bound) and not query
            else ""
        ),
        "query": query,
        "page_obj": page_obj,
        "guides": cards,
        "listing_key": listing_key,
        "is_filtered": is_filtered,
        # Only the valid filters: the pagination links are part of the cached listing.
        "querystring_without_page": urlencode(filters),
    }


def index_topics(index_page):
    """The topics of the index's live guides, for the filter (from the content cache)."""

    def read():
        topics = Tag.objects.filter(
            guides_guidetopic_items__content_object__in=live_guides(index_page)
        )
        return list(topics.distinct().order_by("name"))

    return CONTENT.get_or_build(f"reperes:guide-topics:{index_page.pk}", read)


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
