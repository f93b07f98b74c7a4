"""Platform access tokens, encrypted at rest with Fernet (key derived from settings.TOKEN_KEY).

A token is never logged, printed or shown back: the admin and the CLI only say whether one is set.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django import forms
from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ratusz.errors import RatuszError
from ratusz.registry.models import ConnectionState, Profile


def _fernet() -> Fernet:
    # Fernet wants 32 url-safe base64 bytes; TOKEN_KEY may be any string, so hash it to the right size.
    digest = hashlib.sha256(f"ratusz-token:{settings.TOKEN_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt_token(token: str) -> str:
    """Return the Fernet ciphertext (ASCII text) of a token."""
    return _fernet().encrypt(token.encode()).decode("ascii")


def decrypt_token(ciphertext: str) -> str:
    """Return the plain token from its ciphertext; RatuszError when the key changed or the text is damaged."""
    try:
        return _fernet().decrypt(ciphertext.encode("ascii")).decode()
    except (InvalidToken, ValueError) as exc:
        raise RatuszError(
            "Nie da się odszyfrować zapisanego tokenu (zmieniono RATUSZ_TOKEN_KEY lub RATUSZ_SECRET_KEY?): "
            "zapisz token ponownie poleceniem `ratusz profiles token ID`."
        ) from exc


def set_token(profile: Profile, token: str) -> None:
    """Store a new access token for a profile (encrypted) and mark the profile connected."""
    token = token.strip()
    if not token or any(c.isspace() for c in token):
        raise RatuszError("Token jest pusty albo zawiera spacje: wklej sam token, bez cudzysłowów.")
    profile.access_token_encrypted = encrypt_token(token)
    profile.connection_state = ConnectionState.OK
    profile.save(update_fields=["access_token_encrypted", "connection_state"])


def get_token(profile: Profile) -> str | None:
    """Return the profile's plain access token, or None when none is stored."""
    if not profile.access_token_encrypted:
        return None
    return decrypt_token(profile.access_token_encrypted)


def clear_token(profile: Profile) -> None:
    """Forget a profile's token and mark it not connected."""
    profile.access_token_encrypted = ""
    profile.connection_state = ConnectionState.NOT_CONNECTED
    profile.save(update_fields=["access_token_encrypted", "connection_state"])


class ProfileTokenForm(forms.ModelForm):
    """Admin form of a profile with a write-only field that replaces its access token."""

    new_access_token = forms.CharField(
        label=_("nowy token dostępu"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Wklej nowy token strony, aby zastąpić zapisany. Puste pole zostawia obecny token."),
    )

    class Meta:
        model = Profile
        # every editable field, so fields added to Profile later appear too (the token field is not editable)
        fields = "__all__"  # noqa: DJ007

    def clean_new_access_token(self) -> str:
        """Return the pasted token (empty when unchanged); a token with spaces is rejected."""
        token = self.cleaned_data.get("new_access_token", "")
        if token and any(c.isspace() for c in token):
            raise forms.ValidationError(_("Token nie może zawierać spacji ani nowych linii."))
        return token


class TokenAdminMixin:
    """Mixin for ProfileAdmin: a write-only token field and a 'has token' column; the token is never shown."""

    form = ProfileTokenForm

    @admin.display(boolean=True, description=_("token"))
    def has_token(self, obj: Profile) -> bool:
        """Return True when the profile has a stored (encrypted) token."""
        return bool(obj.access_token_encrypted)

    def save_model(self, request, obj, form, change) -> None:  # noqa: ANN001
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        token = form.cleaned_data.get("new_access_token")
        if token:
            set_token(obj, token)
