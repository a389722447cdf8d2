"""The curator's assistant: candidate facts drafted from a French document, for a curator to accept.

Reading the document (`document`), cutting it into sentences (`sentences`), the words that
decide an indicator, base, scope, lever or theme (`vocabulary`), drafting candidates
(`candidates`), the review file (`review`), turning accepted candidates into profile entries
(`apply`) and the side-by-side view of the notebook (`view`). Nothing is downloaded: rules and
words are in this package, keyed by the registry's ids.
"""
