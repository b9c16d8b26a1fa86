"""API views of the project package: the signed-in user."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from recovery.models import User


class AuthoritySummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField()
    kind = serializers.CharField()
    country = serializers.CharField(source="country.code")


class MeSerializer(serializers.ModelSerializer):
    authority = AuthoritySummarySerializer(allow_null=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "authority",
            "roles",
            "language",
            "time_zone",
        ]
        read_only_fields = fields


class MeView(APIView):
    """The signed-in user, their authority and roles."""

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)
