"""The organisers' admin site: Polish titles (the models' admin lives in each app's admin.py)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("ratusz — panel organizatora")
admin.site.site_title = _("ratusz: panel organizatora")
admin.site.index_title = _("Zarządzanie danymi")
admin.site.site_url = "/"
