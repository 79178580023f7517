"""What the member portal declares to the core (see dangjian/core/modules.py).

The portal owns no data: its pages are drawn from the other modules' declared portal items, so
the demo's members see a real portal from the other modules' demo steps (no step of its own).
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.modules import ModuleParts, PortalItem
from dangjian.core.views import Related

parts = ModuleParts(
    audit_events={"portal_preview": pgettext_lazy("audit event", "Previewed a member's portal")},
    # a staff member's own link to the portal of their membership (the workbench's "For me")
    portal=(PortalItem(_("My online branch"), "portal:home", "device-mobile", order=1),),
    # on an organization's page: its members, each with the preview of their portal
    org_page=(Related(_("Members' online branch"), "portal:org_members", "org"),),
)
