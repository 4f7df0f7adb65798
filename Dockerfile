FROM python:3.11-slim
WORKDIR /srv/sigap
# Tesseract with the Indonesian model reads scanned documents.
RUN apt-get update && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-ind \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml ./
COPY app ./app
COPY migrations ./migrations
COPY config.py app.py ./
# Dependencies only: the code runs from this folder, next to config.py and migrations/.
RUN pip install --no-cache-dir . && pip uninstall --yes sigap && pybabel compile -d app/translations
ENV FLASK_APP=app
EXPOSE 8000
