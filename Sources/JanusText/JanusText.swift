/// JanusText: text in and out of the models.
///
/// Owns the Hugging Face `tokenizer.json` byte-level BPE pipeline (normalizer,
/// pre-tokenizer, BPE model, post-processor, decoder), added/special tokens, and the
/// chat templates of the reference (`deepseek` SFT format, image placeholders).
/// It depends on Foundation only.
public enum JanusTextModule {}
