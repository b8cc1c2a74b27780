"""The coordinator's applications inbox and application pages, under /<language>/coordinatie/.

Two includes in config/urls.py, both beside the schedule page's `coordinatie/` include (whose paths
are `edities/<id>/rooster/...`, so nothing overlaps):

- `coordinatie/edities/` includes this module: the inbox of an edition (`inbox:` names);
- `coordinatie/aanmeldingen/` includes `application_urls`: one application and its actions
  (`applications:` names).
"""

from django.urls import path

from . import inbox

app_name = "inbox"

urlpatterns = [
    path("<int:edition_id>/aanmeldingen/", inbox.inbox_page, name="edition"),
    path("<int:edition_id>/aanmeldingen/besluiten/", inbox.bulk_decision, name="bulk"),
]

application_patterns = [
    path("<int:application_id>/", inbox.application_page, name="detail"),
    path("<int:application_id>/intake/", inbox.plan_intake, name="intake"),
    path("<int:application_id>/intake/<int:intake_id>/uitkomst/", inbox.record_outcome, name="outcome"),
    path("<int:application_id>/besluit/", inbox.decide, name="decision"),
    path("<int:application_id>/annuleren/", inbox.cancel_enrolment, name="cancel"),
]

# For include(): (patterns, app_name).
application_urls = (application_patterns, "applications")
