from django.utils.translation import gettext_lazy as _

from dangjian.core.navigation import MenuGroup, MenuItem


def menu() -> MenuGroup:
    return MenuGroup(_("Members"), (
        MenuItem(_("Member list"), "members:member_list", "users", "members"),
        MenuItem(_("Relationship transfers"), "members:transfer_list", "transfer", "members"),
        MenuItem(_("Committee posts"), "members:post_list", "id-badge", "orgs"),
    ))
