FROM python:3.11-slim
WORKDIR /srv/sigap
COPY pyproject.toml ./
COPY app ./app
COPY migrations ./migrations
COPY config.py app.py ./
# Dependencies only: the code runs from this folder, next to config.py and migrations/.
RUN pip install --no-cache-dir . && pip uninstall --yes sigap && pybabel compile -d app/translations
ENV FLASK_APP=app
EXPOSE 8000
