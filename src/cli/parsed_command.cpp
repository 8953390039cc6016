// CLI$PRESENT / CLI$GET_VALUE semantics over a parsed command.
#include "cli/parsed_command.hpp"

#include <cctype>

namespace sup::cli {
namespace {

std::string upper(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// The status of local value i: local qualifier values are always comma lists.
ValueStatus status_of(const std::vector<std::string>& values, std::size_t i) {
  return i + 1 < values.size() ? ValueStatus::Comma : ValueStatus::Last;
}

}  // namespace

bool is_on(Presence presence) {
  return presence == Presence::Present || presence == Presence::LocalPresent ||
         presence == Presence::Defaulted;
}

bool is_negated(Presence presence) {
  return presence == Presence::Negated || presence == Presence::LocalNegated;
}

const char* presence_name(Presence presence) {
  switch (presence) {
    case Presence::Present:
      return "PRESENT";
    case Presence::Negated:
      return "NEGATED";
    case Presence::LocalPresent:
      return "LOCPRES";
    case Presence::LocalNegated:
      return "LOCNEG";
    case Presence::Defaulted:
      return "DEFAULTED";
    case Presence::Absent:
      return "ABSENT";
    case Presence::Undefined:
      return "UNDEFINED";
  }
  return "UNDEFINED";
}

const ParsedCommand::Entity* ParsedCommand::find(std::string_view entity) const {
  auto it = entities_.find(upper(entity));
  return it == entities_.end() ? nullptr : &it->second;
}

ParsedCommand::Entity* ParsedCommand::find(std::string_view entity) {
  auto it = entities_.find(upper(entity));
  return it == entities_.end() ? nullptr : &it->second;
}

const ParsedCommand::Value* ParsedCommand::context_value() const {
  if (!context_) return nullptr;
  const Entity* param = find(context_->first);
  if (!param || context_->second >= param->values.size()) return nullptr;
  return &param->values[context_->second];
}

const std::vector<std::string>* ParsedCommand::local_values(const Entity& e,
                                                            std::string_view entity) const {
  const Value* v = e.kind == EntityKind::Qualifier ? context_value() : nullptr;
  if (!v) return nullptr;
  auto it = v->local.find(upper(entity));
  if (it == v->local.end() || it->second.second.empty()) return nullptr;
  return &it->second.second;
}

Presence ParsedCommand::present(std::string_view entity) const {
  const Entity* e = find(entity);
  if (!e) return Presence::Undefined;
  if (e->kind == EntityKind::Qualifier) {
    if (const Value* v = context_value()) {
      auto it = v->local.find(upper(entity));
      if (it != v->local.end()) {
        return it->second.first ? Presence::LocalNegated : Presence::LocalPresent;
      }
    }
  }
  return e->presence;
}

Presence ParsedCommand::present_at(std::string_view qualifier, std::string_view parameter,
                                   std::size_t index) const {
  const Entity* q = find(qualifier);
  const Entity* p = find(parameter);
  if (!q || !p) return Presence::Undefined;
  if (index < p->values.size()) {
    auto it = p->values[index].local.find(upper(qualifier));
    if (it != p->values[index].local.end()) {
      return it->second.first ? Presence::LocalNegated : Presence::LocalPresent;
    }
  }
  return q->presence;
}

ValueResult ParsedCommand::get_value(std::string_view entity) {
  Entity* e = find(entity);
  if (!e) return {ValueStatus::Undefined, {}};
  if (const auto* list = local_values(*e, entity)) {
    if (e->local_context != context_) {
      e->local_context = context_;
      e->local_cursor = 0;
    }
    if (e->local_cursor >= list->size()) return {ValueStatus::Absent, {}};
    const std::size_t i = e->local_cursor++;
    return {status_of(*list, i), (*list)[i]};
  }
  if (e->cursor >= e->values.size()) return {ValueStatus::Absent, {}};
  const std::size_t i = e->cursor++;
  if (e->kind == EntityKind::Parameter) context_ = std::make_pair(upper(entity), i);
  return {e->values[i].status, e->values[i].text};
}

std::vector<std::string> ParsedCommand::values(std::string_view entity) const {
  std::vector<std::string> out;
  if (const Entity* e = find(entity)) {
    for (const auto& v : e->values) out.push_back(v.text);
  }
  return out;
}

void ParsedCommand::rewind() {
  for (auto& [name, e] : entities_) {
    e.cursor = 0;
    e.local_cursor = 0;
    e.local_context.reset();
  }
  context_.reset();
}

bool ParsedCommand::has_entity(std::string_view entity) const {
  return find(entity) != nullptr;
}

std::vector<std::string> ParsedCommand::entity_names() const {
  std::vector<std::string> out;
  for (const auto& [name, e] : entities_) out.push_back(name);
  return out;
}

void ParsedCommand::declare(std::string_view entity, EntityKind kind, bool is_default) {
  auto [it, inserted] = entities_.try_emplace(upper(entity));
  if (!inserted) return;
  it->second.kind = kind;
  it->second.presence = is_default ? Presence::Defaulted : Presence::Absent;
}

void ParsedCommand::set_presence(std::string_view entity, Presence presence) {
  if (Entity* e = find(entity)) {
    e->presence = presence;
    if (e->kind == EntityKind::Qualifier) e->values.clear();
  }
}

void ParsedCommand::add_value(std::string_view entity, std::string value, ValueStatus joined_by) {
  Entity* e = find(entity);
  if (!e) return;
  if (!e->values.empty()) e->values.back().status = joined_by;
  e->values.push_back(Value{std::move(value), ValueStatus::Last, {}});
}

void ParsedCommand::set_local(std::string_view qualifier, std::string_view parameter,
                              std::size_t index, bool negated, std::vector<std::string> values) {
  Entity* p = find(parameter);
  if (!p || index >= p->values.size() || !find(qualifier)) return;
  p->values[index].local[upper(qualifier)] = {negated, std::move(values)};
}

bool ParsedCommand::locally(std::string_view qualifier, bool negated) const {
  const std::string key = upper(qualifier);
  for (const auto& [name, e] : entities_) {
    for (const auto& v : e.values) {
      auto it = v.local.find(key);
      if (it != v.local.end() && it->second.first == negated) return true;
    }
  }
  return false;
}

}  // namespace sup::cli
