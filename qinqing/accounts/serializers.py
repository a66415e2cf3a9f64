from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import User


class UserSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    org_name = serializers.CharField(source="org.name", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "name",
            "title",
            "role",
            "role_display",
            "org",
            "org_name",
            "enterprise",
            "enterprise_name",
            "is_active",
            "must_change_password",
            "password_changed_at",
            "last_login",
        ]
        read_only_fields = fields


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("账号"), max_length=150)
    password = serializers.CharField(
        label=_("密码"), max_length=256, trim_whitespace=False, style={"input_type": "password"}
    )
    otp = serializers.CharField(
        label=_("两步验证码"), max_length=20, required=False, allow_blank=True, help_text=_("已绑定验证器的账号必填")
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(label=_("令牌"))
    username = serializers.CharField()
    name = serializers.CharField()
