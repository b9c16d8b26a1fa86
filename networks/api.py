from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from networks.access import authorities_for_user
from networks.models import Authority


class AuthoritySerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code", read_only=True)

    class Meta:
        model = Authority
        fields = ["id", "name", "code", "kind", "country", "email"]


class AuthorityViewSet(viewsets.ReadOnlyModelViewSet):
    """The directory of competent national authorities."""

    serializer_class = AuthoritySerializer
    filterset_fields = ["country", "kind"]

    def get_queryset(self) -> QuerySet[Authority]:
        return authorities_for_user(self.request.user)
