from django.urls import path

from cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("export.csv", views.case_export, name="export"),
    path("autocomplete/", views.case_autocomplete, name="autocomplete"),
    path("audit/", views.audit, name="audit"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/conditions/", views.case_conditions, name="conditions"),
    path("<int:pk>/subjects/", views.case_subjects, name="subjects"),
    path("<int:pk>/subjects/new/", views.subject_create, name="subject-create"),
    path("<int:pk>/subjects/<int:sid>/edit/", views.subject_create, name="subject-edit"),
    path("<int:pk>/relationships/new/", views.relationship_create, name="relationship-create"),
    path(
        "<int:pk>/relationships/<int:rid>/delete/",
        views.relationship_delete,
        name="relationship-delete",
    ),
    path("<int:pk>/team/", views.case_team, name="team"),
    path("<int:pk>/team/members/", views.member_set, name="member-set"),
    path("<int:pk>/team/members/<int:uid>/remove/", views.member_remove, name="member-remove"),
    path("<int:pk>/shares/", views.share_create, name="share-create"),
    path("<int:pk>/shares/<int:sid>/revoke/", views.share_revoke, name="share-revoke"),
    path("<int:pk>/documents/", views.case_documents, name="documents"),
    path("<int:pk>/notes/", views.note_create, name="note-create"),
    path("<int:pk>/notes/<int:nid>/withdraw/", views.note_withdraw, name="note-withdraw"),
    path("<int:pk>/documents/upload/", views.document_upload, name="document-upload"),
    path(
        "<int:pk>/documents/<int:did>/download/", views.document_download, name="document-download"
    ),
    path(
        "<int:pk>/documents/<int:did>/withdraw/", views.document_withdraw, name="document-withdraw"
    ),
    path("<int:pk>/claims/", views.claim_create, name="claim-create"),
    path("<int:pk>/settlements/", views.settlement_create, name="settlement-create"),
    path("<int:pk>/links/", views.link_create, name="link-create"),
    path("<int:pk>/history/", views.case_history, name="history"),
    path("<int:pk>/access-log/", views.case_access_log, name="access-log"),
]
