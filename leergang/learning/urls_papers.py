"""Pages under /<language>/leren/ for papers."""

app_name = "papers"

urlpatterns: list = []
