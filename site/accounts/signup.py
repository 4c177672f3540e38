"""allauth's signup form, with the password also checked against the person's name.

allauth checks the new password against a blank user holding only the e-mail
address; the similarity rule must see the name typed in the same form, as the
password change page does (settings.AUTH_PASSWORD_VALIDATORS). A separate module:
allauth's form is built on `forms.SignupProfileForm`, so `forms` cannot import it.
"""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.contrib.auth import password_validation

from .models import User


class SignupForm(AllauthSignupForm):
    def clean(self):
        cleaned_data = super().clean()
        password = cleaned_data.get("password1")
        if password and "password1" not in self.errors:
            person = User(
                email=cleaned_data.get("email") or "",
                first_name=cleaned_data.get("first_name") or "",
                last_name=cleaned_data.get("last_name") or "",
            )
            try:
                password_validation.validate_password(password, user=person)
            except password_validation.ValidationError as error:
                self.add_error("password1", error)
        return cleaned_data
