"""Ranking that lets Whoosh stop early: BM25's idf and saturating term frequency, capped at TF_CAP.

Stock BM25F gives nearly every matching document a distinct score (length normalisation), so the
top-N collector's block-max skipping never finds a block that cannot beat the 20th hit and scores
every posting: ~100 µs a document in Python, 0.3-0.8 s for a common word at 100k documents. The
archive's documents are short forms of one or two pages, where a word's fourth mention or the
length of the page says nothing more: with tf capped and no length factor, scores take a few
values, the top 20 fill with the best value early, and every later block whose best possible
score is no higher is skipped unread. Ties keep index order (older documents first).
"""

from whoosh.scoring import BaseScorer, WeightingModel, WeightScorer

TF_CAP = 3
K1 = 1.2


def saturated(tf: float) -> float:
    tf = min(tf, TF_CAP)
    return tf * (K1 + 1) / (tf + K1)


class CappedTf(WeightingModel):
    def supports_block_quality(self):
        return True

    def scorer(self, searcher, fieldname, text, qf=1):
        if not searcher.schema[fieldname].scorable:
            return WeightScorer.for_(searcher, fieldname, text)
        return CappedTfScorer(searcher.get_parent().idf(fieldname, text) * qf,
                              searcher.term_info(fieldname, text).max_weight())


class CappedTfScorer(BaseScorer):
    def __init__(self, idf: float, max_weight: float):
        self.idf = idf
        self._max = idf * saturated(max_weight)

    def supports_block_quality(self):
        return True

    def score(self, matcher):
        return self.idf * saturated(matcher.weight())

    def max_quality(self):
        return self._max

    def block_quality(self, matcher):
        return self.idf * saturated(matcher.block_max_weight())
