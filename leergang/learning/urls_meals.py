"""Pages under /<language>/leren/ for meals."""

app_name = "meals"

urlpatterns: list = []
