"""Operating SIGAP: the sanity check's command, backup and restore, the production topology.

    commands    `flask sigap check | backup | restore | serve-prod` (click; progress bars)
    backup      a consistent database dump with the object manifest (and objects); restore onto a fresh instance
    topology    gunicorn, the worker and the local S3 server, configured from the environment as in docker-compose.yml
"""
