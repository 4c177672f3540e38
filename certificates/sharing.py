"""Taking a certificate elsewhere: the « Ajouter à mon profil LinkedIn » link.

LinkedIn's add-to-profile URL pre-fills a certification on the person's profile;
nothing is sent to LinkedIn until they follow the link and confirm there. The link
carries only what the public verification page shows anyway: the training's name,
the issuer, the dates, the number and the verification URL (never the holder's
name or e-mail).
"""

from urllib.parse import urlencode

from django.utils import timezone

LINKEDIN_ADD_URL = "https://www.linkedin.com/profile/add"


def linkedin_url(certificate) -> str:
    issued = timezone.localtime(certificate.issued_at)
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": certificate.title,
        "organizationName": certificate.issuer_name,
        "issueYear": issued.year,
        "issueMonth": issued.month,
    }
    if certificate.expires_on:
        params["expirationYear"] = certificate.expires_on.year
        params["expirationMonth"] = certificate.expires_on.month
    params["certUrl"] = certificate.get_verification_url()
    params["certId"] = certificate.number
    return f"{LINKEDIN_ADD_URL}?{urlencode(params)}"
