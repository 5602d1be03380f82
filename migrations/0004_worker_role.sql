-- API keys gain the role 'worker': the key of a remote worker machine, which may call only the worker endpoints
-- (/api/v1/worker/...) and the artifact service (/api/v1/artifacts). The web host enforces that; the database only
-- has to accept the value. The runner applies this file in one transaction, so it holds no BEGIN/COMMIT.

ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check;

ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check
    CHECK (role IN ('viewer', 'editor', 'promoter', 'admin', 'worker'));
