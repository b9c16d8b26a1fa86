from django.db import migrations

# The access log is append-only for the application: PostgreSQL itself refuses
# UPDATE and DELETE on it (TRUNCATE, an operator's tool, is not a row trigger).
FORWARD = """
CREATE FUNCTION cases_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the access log is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER cases_accesslog_append_only
    BEFORE UPDATE OR DELETE ON cases_accesslog
    FOR EACH ROW EXECUTE FUNCTION cases_accesslog_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS cases_accesslog_append_only ON cases_accesslog;
DROP FUNCTION IF EXISTS cases_accesslog_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_cases_subjects_confidentiality")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
