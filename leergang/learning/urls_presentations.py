"""Pages under /<language>/leren/ for presentations."""

app_name = "presentations"

urlpatterns: list = []
