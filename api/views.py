"""The REST API: each view reads through the selector and the list filters the pages use, and
writes through the pages' forms and services, so that a role's scope and the rules are the same
whichever door a request comes in by."""

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_not_required
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers
from api.filters import ScopedFilterBackend
from api.services import api_token_create
from api.throttling import TokenCreateThrottle
from communications import selectors as media_selectors
from communications.filters import MediaItemFilter, filtered_media_items
from ocop_portal.models import District
from ocop_portal.permissions import require_edit_district, require_write
from products import selectors as product_selectors
from products import services as product_services
from products.filters import ProductFilter, filtered_products
from products.forms import EvaluationForm, ProductForm
from products.models import Evaluation
from subjects import selectors as subject_selectors
from subjects.filters import SubjectFilter, filtered_subjects
from targets.selectors.cycle import indicator_report

LIST_PARAMETERS = [
    OpenApiParameter("sort", str, description="Cột sắp xếp; `-cột` để xếp giảm dần."),
    OpenApiParameter("archived", str, enum=["1"], description="`1`: các bản ghi đã lưu trữ."),
]


class PortalApiMixin:
    """The portal denies every page to anonymous visitors (LoginRequiredMiddleware); the API
    answers them itself, with a 401 in JSON, through DRF's authentication and permissions."""

    @classmethod
    def as_view(cls, **initkwargs):
        return login_not_required(super().as_view(**initkwargs))  # type: ignore[misc]

    def initial(self, request, *args, **kwargs):
        # DRF's own order, except that the throttles count a request before the permissions
        # refuse it: an anonymous caller knocking again and again is slowed down too.
        self.format_kwarg = self.get_format_suffix(**kwargs)  # type: ignore[attr-defined]
        request.accepted_renderer, request.accepted_media_type = (
            self.perform_content_negotiation(request))  # type: ignore[attr-defined]
        request.version, request.versioning_scheme = self.determine_version(  # type: ignore[attr-defined]
            request, *args, **kwargs)
        self.perform_authentication(request)  # type: ignore[attr-defined]
        self.check_throttles(request)  # type: ignore[attr-defined]
        self.check_permissions(request)  # type: ignore[attr-defined]


def _json_object(data) -> dict:
    if not isinstance(data, dict):
        raise ValidationError({"non_field_errors": ["Dữ liệu gửi lên phải là một đối tượng JSON."]})
    return data


def _api_form(form: forms.BaseForm) -> forms.BaseForm:
    """A page's form reading JSON: districts and communes by code, decimals with a point (never
    read as a thousands separator), no file fields."""
    for name in ("district", "commune"):
        if name in form.fields:
            form.fields[name].to_field_name = "code"  # type: ignore[attr-defined]
    for field in form.fields.values():
        if isinstance(field, forms.DecimalField):
            field.localize = False
            field.widget.is_localized = False
    form.fields.pop("photo", None)
    return form


def _valid(form: forms.BaseForm) -> dict:
    if not form.is_valid():
        raise ValidationError({("non_field_errors" if field == "__all__" else field): messages
                               for field, messages in form.errors.items()})
    return form.cleaned_data


def _product_form_data(product, changes: dict) -> dict:
    """The product's current values under the changes asked for (a PATCH)."""
    current = {
        "name": product.name, "subject": product.subject_id, "group": product.group_id,
        "district": product.district.code,
        "commune": product.commune.code if product.commune_id else None,
        "first_cycle_year": product.first_cycle_year, "description": product.description,
    }
    return {**current, **changes}


@extend_schema_view(
    get=extend_schema(summary="Sản phẩm trong phạm vi của người dùng",
                      parameters=LIST_PARAMETERS),
    post=extend_schema(summary="Thêm sản phẩm", request=serializers.ProductWriteSerializer,
                       responses={201: serializers.ProductSerializer}),
)
class ProductListView(PortalApiMixin, generics.ListCreateAPIView):
    serializer_class = serializers.ProductSerializer
    filter_backends = [ScopedFilterBackend]
    filterset_class = ProductFilter
    scoped_filter = staticmethod(lambda user, params: filtered_products(user, params)[1])

    def get_queryset(self):
        return product_selectors.product_list_for_user(self.request.user)

    def create(self, request, *args, **kwargs):
        require_write(request.user)
        form = _api_form(ProductForm(_json_object(request.data), user=request.user))
        product = product_services.product_create(user=request.user, **_valid(form))
        product = product_selectors.product_get_for_user(request.user, product.pk)
        return Response(self.get_serializer(product).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(summary="Một sản phẩm"),
    put=extend_schema(summary="Sửa sản phẩm", request=serializers.ProductWriteSerializer),
    patch=extend_schema(summary="Sửa một số trường của sản phẩm",
                        request=serializers.ProductPatchSerializer),
)
class ProductDetailView(PortalApiMixin, generics.RetrieveUpdateAPIView):
    serializer_class = serializers.ProductSerializer

    def get_object(self):
        return product_selectors.product_get_for_user(self.request.user, self.kwargs["pk"])

    def update(self, request, *args, partial=False, **kwargs):
        product = self.get_object()
        require_edit_district(request.user, product.district_id)
        data = _json_object(request.data)
        if partial:
            data = _product_form_data(product, data)
        form = _api_form(ProductForm(data, instance=product, user=request.user))
        # No photo through the API: the product keeps the one it has.
        product_services.product_update(product, user=request.user, **_valid(form))
        product = product_selectors.product_get_for_user(request.user, product.pk)
        return Response(self.get_serializer(product).data)


@extend_schema_view(
    get=extend_schema(summary="Các lần đánh giá của sản phẩm, với giấy chứng nhận"),
    post=extend_schema(summary="Ghi nhận một lần đánh giá",
                       request=serializers.EvaluationWriteSerializer,
                       responses={201: serializers.EvaluationCreatedSerializer}),
)
class ProductEvaluationsView(PortalApiMixin, generics.ListCreateAPIView):
    serializer_class = serializers.EvaluationSerializer

    def get_product(self):
        return product_selectors.product_get_for_user(self.request.user, self.kwargs["pk"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, made without a request
            return Evaluation.objects.none()
        # The product's own records, reached through the scoped lookup of the product.
        return (self.get_product().evaluations.select_related(
            "certificate", "certificate__evaluation")
            .order_by("-decision_date", "-cycle_year", "-pk"))

    def create(self, request, *args, **kwargs):
        product = self.get_product()
        require_edit_district(request.user, product.district_id)
        form = _api_form(EvaluationForm(_json_object(request.data)))
        outcome = product_services.evaluation_record(product=product, user=request.user,
                                                     **_valid(form))
        evaluation = product.evaluations.select_related("certificate").get(
            pk=outcome.evaluation.pk)
        data = serializers.EvaluationSerializer(evaluation).data
        return Response({**data, "warnings": outcome.warnings}, status=status.HTTP_201_CREATED)


@extend_schema_view(get=extend_schema(summary="Chủ thể trong phạm vi của người dùng",
                                      parameters=LIST_PARAMETERS))
class SubjectListView(PortalApiMixin, generics.ListAPIView):
    serializer_class = serializers.SubjectSerializer
    filter_backends = [ScopedFilterBackend]
    filterset_class = SubjectFilter
    scoped_filter = staticmethod(lambda user, params: filtered_subjects(user, params)[1])

    def get_queryset(self):
        return subject_selectors.subject_list_for_user(self.request.user)


@extend_schema_view(get=extend_schema(summary="Một chủ thể"))
class SubjectDetailView(PortalApiMixin, generics.RetrieveAPIView):
    serializer_class = serializers.SubjectSerializer

    def get_object(self):
        return subject_selectors.subject_get_for_user(self.request.user, self.kwargs["pk"])


@extend_schema_view(get=extend_schema(summary="Tin, bài trong phạm vi của người dùng",
                                      parameters=LIST_PARAMETERS))
class MediaItemListView(PortalApiMixin, generics.ListAPIView):
    serializer_class = serializers.MediaItemSerializer
    filter_backends = [ScopedFilterBackend]
    filterset_class = MediaItemFilter
    scoped_filter = staticmethod(lambda user, params: media_selectors.with_featured_for_user(
        filtered_media_items(user, params)[1], user))

    def get_queryset(self):
        return media_selectors.media_item_list_for_user(self.request.user)


@extend_schema_view(get=extend_schema(summary="Một tin, bài"))
class MediaItemDetailView(PortalApiMixin, generics.RetrieveAPIView):
    serializer_class = serializers.MediaItemSerializer

    def get_object(self):
        return media_selectors.media_item_get_for_user(self.request.user, self.kwargs["pk"])


class FiguresView(PortalApiMixin, APIView):
    @extend_schema(summary="Số liệu các chỉ tiêu của một năm (như lệnh indicator_report)",
                   parameters=[serializers.FiguresQuerySerializer],
                   responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        query = serializers.FiguresQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year, code = query.validated_data["year"], query.validated_data.get("district")
        try:
            return Response(indicator_report(year=year, district_code=code))
        except District.DoesNotExist:
            raise NotFound(f"Không có huyện mã {code}.") from None


class AnyoneMayPost(BasePermission):
    message = "Địa chỉ này chỉ nhận POST với username và password."

    def has_permission(self, request, view):
        return request.method == "POST"


class TokenCreateView(PortalApiMixin, APIView):
    """A personal token for a user name and password; the key is shown in this answer only."""

    authentication_classes: list = []
    permission_classes = [AnyoneMayPost]
    throttle_classes = [TokenCreateThrottle]
    # A form post as well as JSON: `curl -d username=… -d password=…` is how most systems ask.
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(summary="Lấy mã truy cập cá nhân", request=serializers.TokenRequestSerializer,
                   responses={201: serializers.TokenSerializer}, auth=[])
    def post(self, request):
        given = serializers.TokenRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        # Through the authentication backends, django-axes first: a locked account is refused
        # and a wrong password counts towards its lock.
        user = authenticate(request._request, username=given.validated_data["username"],
                            password=given.validated_data["password"])
        if user is None:
            raise ValidationError({"non_field_errors": [
                "Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đang bị khoá."]})
        _, key = api_token_create(user=user, name=given.validated_data.get("name", ""))
        return Response({"token": key}, status=status.HTTP_201_CREATED)
