from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
SEED_ARTICLE = SHARED / "fixtures" / "seed_article.jsonl"
SEED_GOLD = SHARED / "fixtures" / "seed_article.gold.json"
POLNEAR_ARTICLES = SHARED / "data" / "polnear-dev" / "articles.jsonl"
POLNEAR_GOLD = SHARED / "data" / "polnear-dev" / "gold.jsonl"
SCORER = SHARED / "eval" / "score_statements.py"
KAFKA_SCRIPT = ROOT / "deploy" / "kafka" / "kafka.sh"
