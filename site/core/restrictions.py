"""Wagtail's view restrictions of a page, from the content cache.

Wagtail checks them before serving every page (`check_view_restrictions` hook): two
queries, the page's ancestors then their restrictions, for an answer that changes only
when a restriction is added or removed or a page moves — both drop the content cache
(`core.signals`).
"""

from core.content_cache import CONTENT


class CachedViewRestrictions:
    """Mixin for page models (before `Page`): `get_view_restrictions()` cached per page."""

    def get_view_restrictions(self):
        if self.pk is None:  # a preview of a page not saved yet
            return super().get_view_restrictions()
        restrictions = CONTENT.get_or_build(
            f"reperes:view-restrictions:{self.pk}",
            lambda: list(super(CachedViewRestrictions, self).get_view_restrictions()),
        )
        return list(restrictions)
