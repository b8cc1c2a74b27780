"""Pages under /<language>/leren/ for timelog."""

app_name = "timelog"

urlpatterns: list = []
