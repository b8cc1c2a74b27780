from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class EmailLoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        error_messages={
            "required": _("Enter your e-mail address, for example name@municipality.nl."),
            "invalid": _("Enter your e-mail address, for example name@municipality.nl."),
        },
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password.")},
    )
    error_messages = {
        "invalid_login": _("The e-mail address or the password is not correct. Check both and try again."),
        "inactive": _("This account has been deactivated. Contact the programme office."),
    }


class PasswordForgotForm(forms.Form):
    """The address to send a password link to. Whether an account exists is never told."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        error_messages={
            "required": _("Enter your e-mail address, for example name@municipality.nl."),
            "invalid": _("Enter your e-mail address, for example name@municipality.nl."),
        },
    )


class ChoosePasswordForm(SetPasswordForm):
    """A first or a new password, typed twice. The validators' messages belong to the first field,
    where the password was typed; a second copy that differs is the second field's error."""

    error_messages = {
        "password_mismatch": _("The two passwords are not the same. Type the same password in both fields."),
    }

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        first, second = self.fields["new_password1"], self.fields["new_password2"]
        first.label = _("Password")
        first.error_messages["required"] = _("Choose a password.")
        first.widget.attrs["autofocus"] = True
        second.label = _("Repeat the password")
        second.help_text = ""
        second.error_messages["required"] = _("Type the password again, to be sure there is no typing error.")

    def clean(self):
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self)

    def validate_password_for_user(self, user, password_field_name="new_password1"):  # noqa: S107 - a field name
        password = self.cleaned_data.get(password_field_name)
        if not password:
            return
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            self.add_error(password_field_name, [explain_password_error(e) for e in error.error_list])


def explain_password_error(error: ValidationError) -> ValidationError:
    """Django's validators in our words: what to do, addressed with "u", in the page's language.

    (Django's own Dutch catalogue also lacks the current "too short" message.) Errors of other
    validators keep their own message.
    """
    params = error.params or {}
    if error.code == "password_too_short":
        count = params.get("min_length", 0)
        message = ngettext(
            "This password is too short. Choose a password of at least %(count)d character.",
            "This password is too short. Choose a password of at least %(count)d characters.",
            count,
        ) % {"count": count}
    elif error.code == "password_too_common":
        message = _("Many people use this password. Choose one that is harder to guess.")
    elif error.code == "password_entirely_numeric":
        message = _("This password has only digits. Use letters as well.")
    elif error.code == "password_too_similar":
        message = _("This password looks too much like your %(field)s. Choose another one.") % {
            "field": params.get("verbose_name", "")
        }
    else:
        return error
    return ValidationError(message, code=error.code)
