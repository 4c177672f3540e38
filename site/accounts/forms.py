from django import forms


class SignupProfileForm(forms.Form):
    def signup(self, request, user):
        pass
