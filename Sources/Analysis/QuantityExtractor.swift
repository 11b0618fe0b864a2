import Foundation

/// Finds counted amounts: a number (digits of any script, or number words, compounds, multipliers,
/// vague counts) followed by a unit noun, or a dual noun alone (صاروخين = 2 rockets). Bare numbers
/// without a unit (years, dates, page numbers) are not reported.
struct QuantityExtractor: Sendable {
    private var numberWords = IDTable<NumberWord>()
    private var units = PhraseTable(mode: .stem)
    private var unitByPhrase: [String] = []
    private var duals = IDTable<String>()
    private var approximators = PhraseTable(mode: .stem)
    private var connectors: Set<Int32> = []
    private var modifiers: Set<Int32> = []
    private var people: Set<Int32> = []
    /// "killed" or "wounded" by the stem id of a casualty word.
    private var casualtyWords = IDTable<String>()
    private let andKey: Int32

    init(vocabulary: inout Vocabulary) {
        for (word, meaning) in NumberLexicon.words {
            for key in vocabulary.bareKeys(of: word) ?? [] { numberWords[key] = meaning }
        }
        for (unit, forms) in NumberLexicon.units {
            for form in forms {
                guard let keys = vocabulary.stemKeys(of: form) else { continue }
                let phrase = Int(units.add(keys))
                if phrase == unitByPhrase.count { unitByPhrase.append(unit) }
            }
        }
        for (form, unit) in NumberLexicon.duals {
            for key in vocabulary.bareKeys(of: form) ?? [] { duals[key] = unit }
        }
        for phrase in NumberLexicon.approximators {
            if let keys = vocabulary.stemKeys(of: phrase) { _ = approximators.add(keys) }
        }
        func stemSet(_ words: [String]) -> Set<Int32> {
            Set(words.compactMap { vocabulary.stemKeys(of: $0)?.first })
        }
        connectors = stemSet(NumberLexicon.connectors)
        modifiers = stemSet(NumberLexicon.modifiers)
        people = stemSet(NumberLexicon.people)
        for (unit, words) in [("wounded", NumberLexicon.woundedWords), ("killed", NumberLexicon.killedWords)] {
            for key in stemSet(words) { casualtyWords[key] = unit }
        }
        andKey = vocabulary.stemKeys(of: "and")?.first ?? Vocabulary.absent
    }

    private struct Reading {
        var value: Double
        var end: Int
        var vague: Bool
        var endsWithMultiplier: Bool
    }

    /// Appends every quantity in `field` to `found`, in text order, each start once (a quantity that starts
    /// where one already found in this field starts is left out).
    func quantities(in field: PreparedField, into found: inout [Quantity]) {
        let fieldStart = found.count
        func add(_ quantity: Quantity) {
            if !found[fieldStart...].contains(where: { $0.start == quantity.start }) { found.append(quantity) }
        }
        for sentence in field.sentences {
            var position = sentence.tokenStart
            while position < sentence.tokenEnd {
                // A quantity starts at digits, a number word or a dual, and the last two are found by their bare
                // forms: a word with none starts none, as most words do.
                if field.tokens[position].kind != .number, !field.mayHaveBareKeys(position) {
                    position += 1
                    continue
                }
                if let reading = readNumber(field, at: position, limit: sentence.tokenEnd) {
                    if let quantity = attachUnit(reading, start: position, field: field, sentence: sentence) {
                        add(quantity)
                    }
                    position = reading.end
                    continue
                }
                if let dual = dualUnit(field, position, sentence: sentence) {
                    add(
                        Quantity(
                            value: 2,
                            unit: dual,
                            text: field.originalText(ofTokens: position..<(position + 1)),
                            start: field.originalStart(ofToken: position),
                            end: field.originalEnd(ofToken: position),
                            field: field.name.rawValue
                        )
                    )
                }
                position += 1
            }
        }
    }

    private func numberWord(_ field: PreparedField, _ index: Int) -> NumberWord? {
        var word: NumberWord?
        field.forEachBareKey(index) { key in
            if word == nil { word = numberWords[key] }
        }
        return word
    }

    /// Reads the longest number expression starting at `start`.
    private func readNumber(_ field: PreparedField, at start: Int, limit: Int) -> Reading? {
        var total = 0.0
        var partial = 0.0
        var consumed = false
        var vague = false
        var lastWasDigits = false
        var endsWithMultiplier = false
        var index = start
        func finish() -> Reading? {
            consumed
                ? Reading(value: total + partial, end: index, vague: vague, endsWithMultiplier: endsWithMultiplier)
                : nil
        }
        while index < limit {
            let token = field.tokens[index]
            if token.kind == .number {
                guard !consumed, let value = Self.parseDigits(field.text.scalars[token.range]) else { break }
                partial = value
                consumed = true
                lastWasDigits = true
                index += 1
                continue
            }
            if consumed, field.keys[index].stem == andKey, index + 1 < limit, numberWord(field, index + 1) != nil {
                index += 1
                continue
            }
            guard let word = numberWord(field, index) else { break }
            switch word {
            case .value(let value):
                if lastWasDigits { return finish() }
                partial += value
                endsWithMultiplier = false
            case .hundred:
                if lastWasDigits { return finish() }
                partial = max(partial, 1) * 100
                endsWithMultiplier = true
            case .multiplier(let factor):
                total += max(partial, 1) * factor
                partial = 0
                endsWithMultiplier = true
            case .vague(let value, let multiplies):
                if consumed {
                    // ثلاثة آلاف: a plural power after a figure multiplies it exactly.
                    guard multiplies else { return finish() }
                    total += max(partial, 1) * value
                    partial = 0
                } else {
                    partial = value
                    vague = true
                }
                endsWithMultiplier = true
            }
            consumed = true
            lastWasDigits = false
            index += 1
        }
        return finish()
    }

    /// Parses "5000", "5,000", "3.5", "1.234.567" (separators already folded to , and .): one separator
    /// repeated between groups of three digits groups thousands (a lone "," too); otherwise the last
    /// separator is the decimal point and earlier ones group thousands.
    static func parseDigits(_ scalars: ArraySlice<UInt32>) -> Double? {
        var separatorCount = 0
        var firstSeparator: UInt32 = 0
        var sameSeparators = true
        var groupLength = 0
        var laterGroupsOfThree = true
        var lastSeparatorIndex = -1
        for index in scalars.indices {
            let value = scalars[index]
            if ScalarClass.isDigit(value) {
                groupLength += 1
                continue
            }
            if separatorCount > 0, groupLength != 3 { laterGroupsOfThree = false }
            if separatorCount == 0 {
                firstSeparator = value
            } else if value != firstSeparator {
                sameSeparators = false
            }
            lastSeparatorIndex = index
            separatorCount += 1
            groupLength = 0
        }
        if separatorCount > 0, groupLength != 3 { laterGroupsOfThree = false }
        func integer(_ range: Range<Int>) -> Double {
            var result = 0.0
            for value in scalars[range] where ScalarClass.isDigit(value) {
                result = result * 10 + Double(value - 0x30)
            }
            return result
        }
        let all = scalars.startIndex..<scalars.endIndex
        if separatorCount == 0
            || (sameSeparators && laterGroupsOfThree && (separatorCount > 1 || firstSeparator == 0x2C))
        {
            return integer(all)
        }
        let decimal = scalars[lastSeparatorIndex]
        if scalars[scalars.startIndex..<lastSeparatorIndex].contains(decimal) { return nil }
        var fraction = 0.0
        var scale = 1.0
        for value in scalars[(lastSeparatorIndex + 1)...] {
            fraction = fraction * 10 + Double(value - 0x30)
            scale *= 10
        }
        return integer(scalars.startIndex..<lastSeparatorIndex) + fraction / scale
    }

    private func matchesApproximator(_ field: PreparedField, before start: Int, sentence: Sentence) -> Bool {
        let earliest = max(sentence.tokenStart, start - 4)
        for position in earliest..<start {
            var hit = false
            approximators.forEachMatch(in: field, at: position, limit: start) { _, end, _ in
                if end == start { hit = true }
            }
            if hit { return true }
        }
        return false
    }

    private func attachUnit(_ reading: Reading, start: Int, field: PreparedField, sentence: Sentence) -> Quantity? {
        var unit: String?
        var end = reading.end
        var position = reading.end
        let scalars = field.text.scalars
        let numberEnd = Int(field.tokens[reading.end - 1].end)
        var startOffset = field.originalStart(ofToken: start)
        var endOffset = field.originalEnd(ofToken: reading.end - 1)

        if numberEnd < scalars.count, scalars[numberEnd] == 0x25 {  // "%" right after the number
            unit = "percent"
            endOffset = field.text.originEnd(numberEnd)
        }
        if unit == nil {
            var skipped = 0
            while position < sentence.tokenEnd, skipped < 2 {
                let stem = field.keys[position].stem
                let connector = connectors.contains(stem) && (reading.vague || reading.endsWithMultiplier)
                let modifier = field.tokens[position].kind == .latin && modifiers.contains(stem)
                guard connector || modifier else { break }
                position += 1
                skipped += 1
            }
            var longest: (phrase: Int32, end: Int)?
            if position < sentence.tokenEnd {
                units.forEachMatch(in: field, at: position, limit: sentence.tokenEnd) { phrase, phraseEnd, _ in
                    if phraseEnd > longest?.end ?? 0 { longest = (phrase, phraseEnd) }
                }
            }
            if let match = longest {
                unit = unitByPhrase[Int(match.phrase)]
                end = match.end
            } else if position < sentence.tokenEnd, people.contains(field.keys[position].stem),
                let casualty = casualtyWord(field, around: start..<(position + 1), sentence: sentence)
            {
                unit = casualty
                end = position + 1
            } else if let casualty = casualtyWord(
                field,
                around: start..<reading.end,
                sentence: sentence,
                afterToo: false
            ) {
                unit = casualty
            }
            if unit != nil, end > reading.end { endOffset = field.originalEnd(ofToken: end - 1) }
        }
        if unit == nil || unit == "dollars" {
            let numberStart = Int(field.tokens[start].start)
            if numberStart > 0, scalars[numberStart - 1] == 0x24 {  // "$" before the number
                unit = "dollars"
                startOffset = Int(field.text.originStart[numberStart - 1])
            }
        }
        // A run of digits no count reaches (hostile text, a phone or ID number) is not a figure; it would
        // also be infinite past 1e308, which no JSON can hold.
        guard let unit, reading.value.isFinite, reading.value < 1e15 else { return nil }
        return Quantity(
            value: reading.value,
            unit: unit,
            text: field.text.originalText(startOffset, endOffset),
            start: startOffset,
            end: endOffset,
            field: field.name.rawValue,
            approximate: reading.vague || matchesApproximator(field, before: start, sentence: sentence)
        )
    }

    /// "killed" or "wounded" when such a word is within two tokens before `span` (or three after it).
    private func casualtyWord(
        _ field: PreparedField,
        around span: Range<Int>,
        sentence: Sentence,
        afterToo: Bool = true
    ) -> String? {
        func check(_ position: Int) -> String? {
            var result: String?
            field.forEachTermKey(position) { key, _ in
                if result == nil, let word = casualtyWords[key] { result = word }
            }
            return result
        }
        var position = span.lowerBound - 1
        while position >= max(sentence.tokenStart, span.lowerBound - 2) {
            if let result = check(position) { return result }
            position -= 1
        }
        if afterToo {
            for position in span.upperBound..<max(span.upperBound, min(sentence.tokenEnd, span.upperBound + 3)) {
                if let result = check(position) { return result }
            }
        }
        return nil
    }

    private func dualUnit(_ field: PreparedField, _ position: Int, sentence: Sentence) -> String? {
        let token = field.tokens[position]
        guard token.kind == .arabic, token.length >= 4 else { return nil }
        // Duals end in ين or ان.
        let scalars = field.text.scalars
        guard scalars[Int(token.end) - 1] == 0x0646, scalars[Int(token.end) - 2] == 0x064A || scalars[Int(token.end) - 2] == 0x0627
        else { return nil }
        if position > sentence.tokenStart, field.tokens[position - 1].kind == .number { return nil }
        var unit: String?
        field.forEachBareKey(position) { key in
            if unit == nil { unit = duals[key] }
        }
        return unit
    }
}
