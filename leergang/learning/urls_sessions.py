"""Pages under /<language>/leren/ for sessions."""

app_name = "learning_sessions"

urlpatterns: list = []
