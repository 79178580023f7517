from django.utils.translation import gettext_lazy as _

from dangjian.core.navigation import MenuGroup, MenuItem


def menu() -> MenuGroup:
    return MenuGroup(_("Organizations"), (
        MenuItem(_("Organization tree"), "orgs:tree", "sitemap", "orgs"),
        MenuItem(_("Organization list"), "orgs:organization_list", "list", "orgs"),
        MenuItem(_("Term expiry"), "orgs:expiring_terms", "calendar", "orgs"),
        MenuItem(_("Structure warnings"), "orgs:structure_warnings", "alert-triangle", "orgs"),
    ))
