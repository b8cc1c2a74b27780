"""Pages under /<language>/leren/ for cases."""

app_name = "cases"

urlpatterns: list = []
