"""Attendance pages under /<language>/leren/."""

app_name = "attendance"

urlpatterns: list = []
