# LSTM Explorer: a container image for the Streamlit app.
# Follows Streamlit's Docker deployment guide; also used by a Docker-based Hugging Face Space.
#   docker build -t lstm-explorer .
#   docker run -p 8501:8501 lstm-explorer        # then open http://localhost:8501
FROM python:3.11-slim

# OPENBLAS_NUM_THREADS=1: one BLAS thread per computation; several visitors' small matrix products run
# faster side by side than with threads fighting over the same cores.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    OPENBLAS_NUM_THREADS=1

# curl is only needed by the HEALTHCHECK below.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*

# Run as an unprivileged user (Hugging Face Spaces run containers as uid 1000).
RUN useradd --create-home --uid 1000 app
WORKDIR /app

# Dependencies first, so code changes do not invalidate this layer.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=app:app . .
USER app

EXPOSE 8501

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD curl --fail http://localhost:8501/_stcore/health || exit 1

ENTRYPOINT ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0"]
