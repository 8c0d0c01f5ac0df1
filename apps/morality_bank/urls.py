from django.urls import path

from . import views

app_name = "morality_bank"
urlpatterns = [
    path("", views.village_list, name="village_list"),
    path("export.xlsx", views.village_export, name="village_export"),
    path("villages/<int:pk>/", views.village_board, name="village_board"),
    path("residents/", views.resident_list, name="resident_list"),
    path("residents/export.xlsx", views.resident_export, name="resident_export"),
    path("residents/new/", views.resident_create, name="resident_create"),
    path("residents/<int:pk>/", views.resident_detail, name="resident_detail"),
    path("residents/<int:pk>/edit/", views.resident_update, name="resident_update"),
    path("awards/", views.award_list, name="award_list"),
    path("awards/export.xlsx", views.award_export, name="award_export"),
    path("awards/new/", views.award_create, name="award_create"),
    path("awards/<int:pk>/", views.award_detail, name="award_detail"),
    path("awards/<int:pk>/approve/", views.award_approve, name="award_approve"),
    path("awards/<int:pk>/reject/", views.award_reject, name="award_reject"),
    path("awards/<int:pk>/photo/", views.award_photo, name="award_photo"),
    path("ledger/<int:pk>/reverse/", views.ledger_reverse, name="ledger_reverse"),
    path("shop/", views.goods_list, name="goods_list"),
    path("shop/export.xlsx", views.goods_export, name="goods_export"),
    path("shop/new/", views.goods_create, name="goods_create"),
    path("shop/<int:pk>/edit/", views.goods_update, name="goods_update"),
    path("redemptions/new/", views.redemption_create, name="redemption_create"),
    path("items/", views.item_list, name="item_list"),
    path("items/<int:pk>/disable/", views.item_switch, {"active": False}, name="item_disable"),
    path("items/<int:pk>/enable/", views.item_switch, {"active": True}, name="item_enable"),
    path("settings/", views.bank_settings, name="bank_settings"),
    path("settlements/", views.settlement_list, name="settlement_list"),
    path("settlements/export.xlsx", views.settlement_export, name="settlement_export"),
    path("settlements/<int:pk>/", views.settlement_detail, name="settlement_detail"),
]
