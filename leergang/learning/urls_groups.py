"""Pages under /<language>/leren/ for groups."""

app_name = "groups"

urlpatterns: list = []
