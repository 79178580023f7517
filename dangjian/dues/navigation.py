from django.utils.translation import gettext_lazy as _

from dangjian.core.navigation import MenuGroup


def menu() -> MenuGroup:
    return MenuGroup(_("Party dues"), ())
