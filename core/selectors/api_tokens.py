from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from core.models import ApiToken


def tokens_of(user: AbstractBaseUser) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")


def all_tokens(search: str = "") -> QuerySet[ApiToken]:
    qs = ApiToken.objects.select_related("user").order_by("revoked_at", "-created_at")
    if search:
        qs = qs.filter(user__email__icontains=search)
    return qs
