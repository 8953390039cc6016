// $PUTMSG of the client's messages (vms_putmsg.hpp).  The message vector, the string
// descriptors and their text are built in one stack object: every address in the vector
// is a 32-bit one, as $PUTMSG reads them (vms_sys.hpp's rule; a heap address would be
// refused with SS$_ACCVIO).
#include "platform/vms/vms_putmsg.hpp"

#include <cctype>
#include <cstdint>
#include <cstring>
#include <vector>

#include "platform/vms/vms_sys.hpp"

#include <lib$routines.h>

namespace sup::vms {
namespace {

// One directive or literal of an FAO control string, for the inverse.
struct FaoPiece {
  enum class Kind { Literal, String, Decimal, Signed, Hex, Plural } kind = Kind::Literal;
  std::string literal;
};

// The pieces of `control`; false for a field width or a directive the inverse does not
// know (msg::fao shows those as written, which no message of ours uses).
bool split_control(std::string_view control, std::vector<FaoPiece>& out) {
  using Kind = FaoPiece::Kind;
  for (std::size_t i = 0; i < control.size(); ++i) {
    if (control[i] != '!' || i + 1 >= control.size()) {
      if (out.empty() || out.back().kind != Kind::Literal) out.push_back({});
      out.back().literal += control[i];
      continue;
    }
    const char c = control[i + 1];
    if (c == '!' || c == '/' || c == '_') {
      if (out.empty() || out.back().kind != Kind::Literal) out.push_back({});
      out.back().literal += c == '!' ? '!' : c == '/' ? '\n' : '\t';
      i += 1;
      continue;
    }
    std::string d(control.substr(i + 1, 2));
    for (auto& ch : d) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    Kind kind;
    if (d == "AS" || d == "AZ")
      kind = Kind::String;
    else if (d == "UL" || d == "UW" || d == "UB" || d == "ZL")
      kind = Kind::Decimal;
    else if (d == "SL")
      kind = Kind::Signed;
    else if (d == "XL" || d == "XW" || d == "XB")
      kind = Kind::Hex;
    else if (d == "%S")
      kind = Kind::Plural;
    else
      return false;
    out.push_back({kind, {}});
    i += 2;
  }
  return true;
}

// How many characters of `text` from `at` a number piece may take: 1..n (the caller
// tries each).
std::size_t number_span(const FaoPiece& p, std::string_view text, std::size_t at) {
  std::size_t n = 0;
  if (p.kind == FaoPiece::Kind::Signed && at < text.size() && text[at] == '-') ++n;
  while (at + n < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[at + n]);
    const bool hex = p.kind == FaoPiece::Kind::Hex;
    if (!(hex ? (std::isdigit(c) || (c >= 'A' && c <= 'F')) : std::isdigit(c))) break;
    ++n;
  }
  return n;
}

// The value of a number piece's text; nullopt when it does not fit 64 bits.
std::optional<std::uint64_t> number(const FaoPiece& p, std::string_view digits) {
  const bool negative = !digits.empty() && digits[0] == '-';
  if (negative) digits.remove_prefix(1);
  if (digits.empty()) return std::nullopt;
  const unsigned base = p.kind == FaoPiece::Kind::Hex ? 16 : 10;
  std::uint64_t value = 0;
  for (char c : digits) {
    const unsigned d =
        std::isdigit(static_cast<unsigned char>(c)) ? unsigned(c - '0') : unsigned(c - 'A' + 10);
    if (value > (UINT64_MAX - d) / base) return std::nullopt;
    value = value * base + d;
  }
  return negative ? static_cast<std::uint64_t>(-static_cast<std::int64_t>(value)) : value;
}

// Matches pieces[k..] against text[at..], appending the arguments; backtracks over the
// lengths of strings and numbers.  `budget` bounds the work on hostile input.
bool match(const std::vector<FaoPiece>& pieces, std::size_t k, std::string_view text,
           std::size_t at, msg::FaoArgs& args, int& budget) {
  using Kind = FaoPiece::Kind;
  if (--budget < 0) return false;
  if (k == pieces.size()) return at == text.size();
  const FaoPiece& p = pieces[k];
  switch (p.kind) {
    case Kind::Literal:
      return text.substr(at, p.literal.size()) == p.literal &&
             match(pieces, k + 1, text, at + p.literal.size(), args, budget);
    case Kind::Plural:
      if (text.substr(at, 1) == "s" && match(pieces, k + 1, text, at + 1, args, budget))
        return true;
      return match(pieces, k + 1, text, at, args, budget);
    case Kind::String:
      for (std::size_t end = at; end <= text.size(); ++end) {
        args.emplace_back(std::string(text.substr(at, end - at)));
        if (match(pieces, k + 1, text, end, args, budget)) return true;
        args.pop_back();
      }
      return false;
    default:
      break;
  }
  for (std::size_t n = number_span(p, text, at); n >= 1; --n) {
    const std::optional<std::uint64_t> value = number(p, text.substr(at, n));
    if (!value) continue;
    args.emplace_back(*value);
    if (match(pieces, k + 1, text, at + n, args, budget)) return true;
    args.pop_back();
  }
  return false;
}

// The message vector and everything it points to, in one stack object.
constexpr std::size_t kMaxArgs = 8;
constexpr std::size_t kTextCapacity = 8192;  // a reply record's text is shorter
struct MessageVector {
  std::uint32_t longwords[3 + kMaxArgs];
  struct dsc$descriptor_s strings[kMaxArgs];
  char text[kTextCapacity];
};

// The address as the 32-bit longword a message vector holds; false when it is not one.
bool address32(const void* p, std::uint32_t& out) {
  const auto v = reinterpret_cast<std::uintptr_t>(p);
  if (v >= 0x80000000u) return false;
  out = static_cast<std::uint32_t>(v);
  return true;
}

// Fills `v` for `condition` with `args`; false when they do not fit or an address is not
// a 32-bit one.
bool build(MessageVector& v, std::uint32_t condition, const msg::FaoArgs& args) {
  if (args.size() > kMaxArgs) return false;
  v.longwords[0] = static_cast<std::uint32_t>(2 + args.size());  // flags 0: SET MESSAGE's
  v.longwords[1] = condition;
  v.longwords[2] = static_cast<std::uint32_t>(args.size());
  std::size_t used = 0;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::uint32_t& slot = v.longwords[3 + i];
    if (const auto* n = std::get_if<std::uint64_t>(&args[i])) {
      if (*n > 0xFFFFFFFFu) return false;
      slot = static_cast<std::uint32_t>(*n);
      continue;
    }
    const std::string& s = std::get<std::string>(args[i]);
    if (s.size() > 0xFFFF || used + s.size() > kTextCapacity) return false;
    std::memcpy(v.text + used, s.data(), s.size());
    struct dsc$descriptor_s& d = v.strings[i];
    d.dsc$w_length = static_cast<unsigned short>(s.size());
    d.dsc$b_dtype = DSC$K_DTYPE_T;
    d.dsc$b_class = DSC$K_CLASS_S;
    d.dsc$a_pointer = v.text + used;
    used += s.size();
    if (!address32(&d, slot)) return false;
  }
  return true;
}

using ActionRoutine = int (*)(__unknown_params);

// What the action routine saw: the prefix $PUTMSG formatted.  Static: the routine has
// no other way to hand it back; the client is single-threaded and calls no $PUTMSG at
// AST level.
struct Captured {
  char text[256];
  unsigned short length;
};
Captured g_captured;

// $PUTMSG's action routine: keeps the line and suppresses it (an even return).
int capture_line(struct dsc$descriptor_s* line, unsigned long long) {
  const char* p = line->dsc$a_pointer;
  const unsigned short n = line->dsc$w_length < sizeof g_captured.text
                               ? line->dsc$w_length
                               : static_cast<unsigned short>(sizeof g_captured.text);
  std::memcpy(g_captured.text, p, n);
  g_captured.length = n;
  return 0;
}

// The fallback of put_message(): "%SUPERVISOR-E-IDENT" from $PUTMSG, then the text.
std::uint32_t put_prefixed(std::uint32_t condition, const std::string& text) {
  constexpr std::uint32_t kPrefixOnly = 0xEu << 16;  // identification, severity, facility
  std::uint32_t vec[3] = {2, condition, kPrefixOnly};
  g_captured.length = 0;
  const auto routine =
      reinterpret_cast<ActionRoutine>(reinterpret_cast<void (*)(void)>(capture_line));
  std::uint32_t status = sys$putmsg(vec, routine, nullptr, 0);
  if (!ok(status)) return status;
  MessageVector line;  // its text buffer, for the one descriptor
  const std::string whole = std::string(g_captured.text, g_captured.length) + ", " + text;
  const std::size_t n = whole.size() < kTextCapacity ? whole.size() : kTextCapacity;
  std::memcpy(line.text, whole.data(), n);
  struct dsc$descriptor_s& d = line.strings[0];
  d.dsc$w_length = static_cast<unsigned short>(n);
  d.dsc$b_dtype = DSC$K_DTYPE_T;
  d.dsc$b_class = DSC$K_CLASS_S;
  d.dsc$a_pointer = line.text;
  return lib$put_output(&d);
}

}  // namespace

std::optional<msg::FaoArgs> fao_arguments(std::string_view control, std::string_view text) {
  std::vector<FaoPiece> pieces;
  if (!split_control(control, pieces)) return std::nullopt;
  msg::FaoArgs args;
  int budget = 100000;
  if (!match(pieces, 0, text, 0, args, budget)) return std::nullopt;
  if (msg::fao(control, args) != text) return std::nullopt;  // e.g. a wrong plural
  return args;
}

std::uint32_t put_message(std::uint32_t condition, const std::string& text) {
  const msg::MessageDef* def = msg::lookup(condition);
  MessageVector v;
  if (def == nullptr) {  // another facility's condition: its own text
    if (!build(v, condition, {})) return SS$_BADPARAM;
    // System and RMS messages take no FAO count (tests/vmssim/SPEC.md section 4.10).
    const unsigned facility = (condition >> 16) & 0xFFFu;
    if (facility == 0 || facility == 1) v.longwords[0] = 1;
    return sys$putmsg(v.longwords, nullptr, nullptr, 0);
  }
  const std::optional<msg::FaoArgs> args = fao_arguments(def->text, text);
  std::uint32_t vector_address = 0;
  if (!args || !build(v, condition, *args) || !address32(v.longwords, vector_address))
    return put_prefixed(condition, text);
  return sys$putmsg(v.longwords, nullptr, nullptr, 0);
}

}  // namespace sup::vms
