/// JanusText: text in and out of the models.
///
/// - `Tokenizer`: a Hugging Face `tokenizer.json` pipeline (added tokens, normalizer,
///   pre-tokenizer, byte-level BPE model, post-processor, decoder) reproducing the Rust
///   `tokenizers` crate, and `StreamingDetokenizer` for generated text.
/// - `ChatTemplate`, `PromptBuilder`, `MultimodalPrompt`: the reference `deepseek` SFT format
///   and the `VLChatProcessor` image-tag expansion.
/// - `TokenizerConfig`, `ProcessorConfig`: the checkpoint's small JSON config files.
///
/// It depends on Foundation only.
public enum JanusTextModule {}
