"""Representations of the political and collaborative layer, with the structure format's field names; references
to units, posts, people and committees are their keys."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from centers.api.serializers import ChoiceLabelField, api_url, keyed_address, site_url

from ..models import BudgetResponsibility, Committee, CommitteeService, Forum, Membership, Network

KEY = {"slug_field": "key", "read_only": True}
OPTIONAL_KEY = {**KEY, "allow_null": True}


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Økonomiudvalget",
            value={
                "key": "oekonomiudvalget",
                "name": "Økonomiudvalget",
                "name_en": "Finance Committee",
                "kind": "finance",
                "kind_label": "økonomiudvalg",
                "source": "002 sagsfremstilling og ØU-beslutninger 24.1.2012 og 2./3.2.2012",
                "note": "Har kompetencen til at igangsætte organisationsprojektet (002 Beslutningskompetence).",
                "url": "http://127.0.0.1:8000/ltk/2011/udvalg/oekonomiudvalget/",
                "api_url": "http://127.0.0.1:8000/api/municipalities/ltk/committees/oekonomiudvalget/",
            },
            response_only=True,
        )
    ]
)
class CommitteeSerializer(serializers.ModelSerializer):
    """A committee of the municipality; `url` is its page in the version shown first."""

    kind_label = ChoiceLabelField(Committee.Kind.choices, source="kind")
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = Committee
        fields = ["key", "name", "name_en", "kind", "kind_label", "source", "note", "url", "api_url"]

    def get_url(self, committee: Committee) -> str | None:
        version = self.context.get("default_version")
        if not version:
            return None
        request, slug = self.context.get("request"), self.context["slug"]
        return keyed_address(
            self,
            "url",
            lambda key: site_url(request, reverse("governance:committee", args=[slug, version, key])),
            committee.key,
        )

    def get_api_url(self, committee: Committee) -> str:
        request, slug = self.context.get("request"), self.context["slug"]
        return keyed_address(
            self, "api_url", lambda key: api_url(request, "committee-detail", slug=slug, key=key), committee.key
        )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A service",
            value={
                "committee": "byraadet",
                "unit": "direktion",
                "post": None,
                "role": "serves",
                "role_label": "betjener",
                "source": "003 afsnit 5.1",
                "note": "Direktionen har (med borgmesteren) ansvaret for 'den politiske rådgivning og servicering' "
                "(afsnit 5.1); angivet som betjening af Byrådet.",
            },
            response_only=True,
        )
    ]
)
class CommitteeServiceSerializer(serializers.ModelSerializer):
    """A unit or post serving (betjener) a committee in a version."""

    committee = serializers.SlugRelatedField(**KEY)
    unit = serializers.SlugRelatedField(**OPTIONAL_KEY)
    post = serializers.SlugRelatedField(**OPTIONAL_KEY)
    role_label = ChoiceLabelField(CommitteeService.Role.choices, source="role")

    class Meta:
        model = CommitteeService
        fields = ["committee", "unit", "post", "role", "role_label", "source", "note"]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A member",
            value={
                "person": "rolf-aagaard-svendsen",
                "committee": "oekonomiudvalget",
                "role": "medlem",
                "party": "C",
                "start": None,
                "end": None,
                "source": "002 ØU 24.1.2012 og 2./3.2.2012",
            },
            response_only=True,
        )
    ]
)
class MembershipSerializer(serializers.ModelSerializer):
    person = serializers.SlugRelatedField(**KEY)
    committee = serializers.SlugRelatedField(**KEY)

    class Meta:
        model = Membership
        fields = ["person", "committee", "role", "party", "start", "end", "source"]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Lejre's executive board",
            value={
                "key": "koncerndirektion",
                "name": "Koncerndirektionen (KCD)",
                "name_en": "Corporate Executive Board",
                "kind": "executive_board",
                "kind_label": "direktionsmøde",
                "chair": "kommunaldirektoer",
                "member_units": [],
                "member_posts": [
                    "kommunaldirektoer",
                    "direktoer-1",
                    "direktoer-2",
                    "direktoer-oekonomi-effektivisering",
                ],
                "members_text": "Direktørerne; ledes af kommunaldirektøren (fire direktører, heraf én midlertidig for "
                "økonomi og effektivisering)",
                "frequency": "",
                "purpose": "Fælles ansvar for den overordnede ledelse og udvikling af den kommunale organisation som "
                "helhed (enhedsdirektion).",
                "source": "001 afsnit 8",
                "note": "Udvides midlertidigt fra tre til fire direktører. …",
            },
            response_only=True,
        )
    ]
)
class ForumSerializer(serializers.ModelSerializer):
    """A forum (direktion, lederkreds, MED ...): its chair and member units and posts by key."""

    kind_label = ChoiceLabelField(Forum.Kind.choices, source="kind")
    chair = serializers.SlugRelatedField(**OPTIONAL_KEY)
    member_units = serializers.SlugRelatedField(many=True, **KEY)
    member_posts = serializers.SlugRelatedField(many=True, **KEY)

    class Meta:
        model = Forum
        fields = [
            "key",
            "name",
            "name_en",
            "kind",
            "kind_label",
            "chair",
            "member_units",
            "member_posts",
            "members_text",
            "frequency",
            "purpose",
            "source",
            "note",
        ]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A knowledge team of Lyngby-Taarbæk",
            value={
                "key": "vidensteam-ungdomsuddannelser",
                "name": "Vidensteam Ungdomsuddannelser",
                "name_en": "Knowledge team on youth education",
                "kind": "knowledge_team",
                "kind_label": "vidensteam",
                "leader": None,
                "leader_text": "En nøglemedarbejder eller en driftsleder/teamleder (typisk, jf. afsnit 4.5)",
                "owner": None,
                "member_units": [
                    "center-for-raadgivning-og-stoette",
                    "center-for-laering-og-paedagogik",
                    "skoler",
                    "center-for-job-og-ydelser",
                ],
                "members_text": "Skoler, Center for Job og Ydelser, Center for Rådgivning og Støtte, Center for Læring "
                "og Pædagogik, UU-Nord og i samarbejde med ungdomsuddannelserne",
                "purpose": "Eksempel: kan beskæftige sig med at realisere målsætningen om, at 95 % af en "
                "ungdomsårgang gennemfører en ungdomsuddannelse.",
                "frequency": "",
                "source": "002 afsnit 4.5; 000 afsnit 4.5",
                "note": "Et af notatets eksempler … ikke et oprettet team. …",
            },
            response_only=True,
        )
    ]
)
class NetworkSerializer(serializers.ModelSerializer):
    """A network or knowledge team: leader, owner and member units by key."""

    kind_label = ChoiceLabelField(Network.Kind.choices, source="kind")
    leader = serializers.SlugRelatedField(**OPTIONAL_KEY)
    owner = serializers.SlugRelatedField(**OPTIONAL_KEY)
    member_units = serializers.SlugRelatedField(many=True, **KEY)

    class Meta:
        model = Network
        fields = [
            "key",
            "name",
            "name_en",
            "kind",
            "kind_label",
            "leader",
            "leader_text",
            "owner",
            "member_units",
            "members_text",
            "purpose",
            "frequency",
            "source",
            "note",
        ]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Assens, level 1",
            value={
                "level": 1,
                "name": "Vicedirektør (stort budgetansvar)",
                "holder": "vicedirektoer-social-sundhed-og-arbejdsmarked",
                "scope": "social-sundhed-og-arbejdsmarked",
                "supported_by": None,
                "source": "003 afsnit 4",
                "note": 'De 3 vicedirektører får "et stort budgetansvar" (afsnit 4). …',
            },
            response_only=True,
        )
    ]
)
class BudgetResponsibilitySerializer(serializers.ModelSerializer):
    """A level of budget responsibility (økonomiansvar): who holds it for which unit and its sub-units."""

    holder = serializers.SlugRelatedField(**OPTIONAL_KEY)
    scope = serializers.SlugRelatedField(**KEY)
    supported_by = serializers.SlugRelatedField(**OPTIONAL_KEY)

    class Meta:
        model = BudgetResponsibility
        fields = ["level", "name", "holder", "scope", "supported_by", "source", "note"]
