"""Policy API: the same permissions, filters, search and actions as the pages."""

from __future__ import annotations

from dataclasses import asdict

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from qinqing.core.api import Pagination
from qinqing.core.permissions import AUTHENTICATED
from qinqing.eligibility import rules
from qinqing.eligibility.attributes import enterprise_attrs
from qinqing.registry.models import Enterprise

from . import actions, attachments, matching
from .figures import policy_figures
from .filters import PolicyFilter
from .labels import value_names
from .permissions import (
    get_attachment,
    get_editable_attachment,
    get_editable_policy,
    get_matching_policy,
    get_policy,
    scope_path,
    visible_policies,
)
from .search import RankedResults
from .segment import highlight, query_words
from .serializers import (
    AttachmentUploadSerializer,
    EligibleEnterpriseSerializer,
    JobStartedSerializer,
    MyPoliciesSerializer,
    PolicyAttachmentSerializer,
    PolicyDetailSerializer,
    PolicyFiguresSerializer,
    PolicySerializer,
    PolicyWriteSerializer,
    PushedSerializer,
    StateSerializer,
    VocabularySerializer,
)


def _call(func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except DjangoValidationError as exc:
        raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from None
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from None


class PolicyList(generics.ListCreateAPIView):
    """Published policies (and drafts the caller may edit); ``q`` searches the full text, best first."""

    required_permissions = {"get": "policies.view_policy", "post": "policies.change_policy"}
    serializer_class = PolicySerializer
    filterset_class = PolicyFilter
    pagination_class = Pagination

    def get_queryset(self):
        return visible_policies(self.request.user).order_by("-published_on", "-id")

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        q = request.query_params.get("q", "").strip()
        words = query_words(q)
        results = RankedResults(queryset, q) if words else queryset
        page = self.paginate_queryset(results)
        highlights = {p.pk: highlight(p.title + "：" + (p.summary or p.body), words, 160) for p in page}
        serializer = PolicySerializer(page, many=True, context={"highlights": highlights})
        return self.get_paginated_response(serializer.data)

    # On post, not create: drf-spectacular documents the HTTP method (on create the schema had no request body).
    @extend_schema(request=PolicyWriteSerializer, responses={201: PolicySerializer})
    def post(self, request, *args, **kwargs):
        return self.create(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        data = PolicyWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        policy = _call(actions.create_policy, actor=request.user, data=data.validated_data)
        return Response(PolicySerializer(policy).data, status=status.HTTP_201_CREATED)


class PolicyDetail(APIView):
    required_permissions = {"get": "policies.view_policy", "patch": "policies.change_policy"}

    @extend_schema(responses=PolicyDetailSerializer)
    def get(self, request, pk):
        policy = get_policy(request.user, pk)
        if request.user.enterprise_id and request.user.has_perm("policies.view_my_policies"):
            # An enterprise reading a policy it was pushed (app, mini-program) has opened it, as on the page.
            actions.mark_push_opened(policy, request.user.enterprise)
        return Response(PolicyDetailSerializer(policy).data)

    @extend_schema(request=PolicyWriteSerializer, responses=PolicySerializer)
    def patch(self, request, pk):
        policy = get_editable_policy(request.user, pk)
        current = {f: getattr(policy, f) for f in PolicyWriteSerializer().fields if f != "issuer"}
        current["issuer"] = policy.issuer_id
        data = PolicyWriteSerializer(data={**current, **request.data})
        data.is_valid(raise_exception=True)
        policy = _call(actions.update_policy, policy, actor=request.user, data=data.validated_data)
        return Response(PolicySerializer(policy).data)


class AttachmentUpload(APIView):
    """Attach a file to a policy the caller may edit (the same validation and audit as the page)."""

    required_permission = "policies.change_policy"
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": AttachmentUploadSerializer}, responses={201: PolicyAttachmentSerializer}
    )
    def post(self, request, pk):
        policy = get_editable_policy(request.user, pk)
        data = AttachmentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attachment = _call(
            actions.add_attachment,
            policy,
            actor=request.user,
            name=data.validated_data.get("name", ""),
            file=data.validated_data["file"],
        )
        return Response(PolicyAttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class AttachmentDetail(APIView):
    """GET downloads the file (Content-Disposition with the original name); DELETE removes it (editors)."""

    required_permissions = {"get": "policies.view_policy", "delete": "policies.change_policy"}

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, pk, attachment_pk):
        return attachments.download_response(get_attachment(request.user, pk, attachment_pk))

    @extend_schema(responses={204: None})
    def delete(self, request, pk, attachment_pk):
        attachment = get_editable_attachment(request.user, pk, attachment_pk)
        _call(actions.delete_attachment, attachment, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PolicyState(APIView):
    required_permission = "policies.change_policy"

    @extend_schema(request=StateSerializer, responses=PolicySerializer)
    def post(self, request, pk):
        policy = get_editable_policy(request.user, pk)
        data = StateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        policy = _call(actions.set_policy_state, policy, actor=request.user, state=data.validated_data["state"])
        return Response(PolicySerializer(policy).data)


class Vocabulary(APIView):
    """The rule vocabulary: attributes, the operators each allows, group operators, qualifications."""

    required_permission = AUTHENTICATED

    @extend_schema(responses=VocabularySerializer)
    def get(self, request):
        return Response(
            {
                "attributes": [
                    {**{k: str(v) for k, v in asdict(a).items()}, "operators": rules.OPERATORS_BY_KIND[a.kind]}
                    for a in rules.ATTRIBUTES.values()
                ],
                "operators": {op: str(label) for op, label in rules.OPERATORS.items()},
                "groups": {op: str(label) for op, label in rules.GROUP_OPS.items()},
                "qualifications": rules.qualifications(),
                "size_classes": list(rules.SIZE_CLASSES),
            }
        )


def _explanation(policy, explanation) -> dict:
    return {
        "policy": policy.pk,
        "title": policy.title,
        "verdict": explanation.verdict,
        "verdict_label": explanation.verdict_label,
        "conditions": [asdict(leaf) for leaf in explanation.leaves],
        "near_miss": [leaf.text for leaf in explanation.near_miss],
        "missing_data": explanation.missing_data,
    }


class MyPolicies(APIView):
    """我的政策: every applicable policy explained for the caller's own enterprise."""

    required_permission = "policies.view_my_policies"

    @extend_schema(responses=MyPoliciesSerializer)
    def get(self, request):
        if not request.user.enterprise_id:
            raise NotFound(_("账号未关联企业"))
        enterprise = Enterprise.objects.get(pk=request.user.enterprise_id)
        attrs = enterprise_attrs(enterprise)
        policies = [
            p for p in matching.applicable_policies(enterprise.org_path) if enterprise.org_path.startswith(p.org_path)
        ]
        names = value_names([policy.rule for policy in policies], [attrs])
        result = [_explanation(policy, rules.explain(policy.rule, attrs, names)) for policy in policies]
        return Response({"enterprise": enterprise.pk, "results": result})


class Figures(APIView):
    """Figures of the caller's scope: published policies by status and benefit type, pushes sent and opened."""

    required_permission = "policies.view_figures"

    @extend_schema(responses=PolicyFiguresSerializer)
    def get(self, request):
        return Response(PolicyFiguresSerializer(policy_figures(request.user)).data)


class MatchingRun(APIView):
    required_permission = "policies.run_matching"

    @extend_schema(request=None, responses={202: JobStartedSerializer})
    def post(self, request):
        job = _call(actions.start_matching, actor=request.user)
        return Response({"job": job.pk, "status_url": f"/jobs/{job.pk}/"}, status=status.HTTP_202_ACCEPTED)


class Eligible(generics.GenericAPIView):
    """The enterprises of the caller's scope eligible for a policy (from the last matching run)."""

    required_permission = "policies.view_matching"
    serializer_class = EligibleEnterpriseSerializer
    pagination_class = Pagination
    queryset = Enterprise.objects.none()  # the schema's model; get() builds the real list

    @extend_schema(responses=EligibleEnterpriseSerializer(many=True))
    def get(self, request, pk):
        policy = get_matching_policy(request.user, pk)
        scope = scope_path(request.user)
        ids = matching.eligible_ids(policy, scope).to_list()
        firms = Enterprise.objects.filter(pk__in=ids, org_path__startswith=scope).order_by("name", "id")
        page = self.paginate_queryset(firms.values("id", "name", "credit_code", "region_code"))
        return self.get_paginated_response(page)


class Push(APIView):
    required_permission = "policies.push_policy"

    @extend_schema(request=None, responses=PushedSerializer)
    def post(self, request, pk):
        policy = get_matching_policy(request.user, pk)
        return Response({"pushed": _call(actions.push_policy, policy, actor=request.user)})
