// SPDX-License-Identifier: Apache-2.0
#include "io/compile_config.h"

#include "detail/sequential_access.h"
#include "keras/error.h"

#include <fmt/format.h>

#include <cstdio>

namespace keras::io {
namespace {

bool absent(const Json& saved, const char* key) {
  return !saved.contains(key) || saved[key].is_null();
}

// What tf.keras wrote and tf.keras read back, in the names Keras 3 reads: Keras 2's `lr`, and
// TF 2.11-2.15's `Custom>Adam` with its `is_legacy_optimizer` and `jit_compile` keys.
Json modernized_optimizer(Json optimizer) {
  if (optimizer.contains("class_name") && optimizer["class_name"].is_string()) {
    std::string class_name = optimizer["class_name"].get<std::string>();
    if (class_name.starts_with("Custom>")) optimizer["class_name"] = class_name.substr(7);
  }
  if (!optimizer.contains("config") || !optimizer["config"].is_object()) return optimizer;
  Json& config = optimizer["config"];
  if (config.contains("lr") && !config.contains("learning_rate")) {
    config["learning_rate"] = config["lr"];
    config.erase("lr");
  }
  config.erase("is_legacy_optimizer");
  config.erase("jit_compile");
  return optimizer;
}

optimizers::OptimizerArg optimizer_from(const Json& optimizer, SavedCompileFormat format) {
  if (optimizer.is_string()) return optimizer.get<std::string>();
  if (!optimizer.is_object()) {
    throw ValueError(fmt::format("Could not interpret optimizer identifier: {}", optimizer.dump()));
  }
  return optimizers::deserialize(format == SavedCompileFormat::legacy
                                     ? modernized_optimizer(optimizer).dump()
                                     : optimizer.dump());
}

losses::LossArg loss_from(const Json& loss) {
  if (loss.is_string()) return loss.get<std::string>();
  if (loss.is_object() && loss.contains("class_name")) return losses::deserialize(loss.dump());
  throw NotImplementedError(
      fmt::format("kerascpp restores one loss for one output; the model was compiled with loss={}",
                  loss.dump()));
}

// A metric object as the identifier kerascpp resolves: a class it implements (its config, such
// as a custom name, is not kept), or the function a tf.keras MeanMetricWrapper wraps.
std::string metric_identifier(const Json& metric) {
  if (metric.is_string()) return metric.get<std::string>();
  const bool named =
      metric.is_object() && metric.contains("class_name") && metric["class_name"].is_string();
  const std::string class_name = named ? metric["class_name"].get<std::string>() : std::string();
  const Json* config =
      metric.is_object() && metric.contains("config") ? &metric["config"] : nullptr;
  if (class_name == "MeanMetricWrapper" && config != nullptr && config->is_object() &&
      config->contains("fn") && (*config)["fn"].is_string()) {
    return (*config)["fn"].get<std::string>();
  }
  if (!class_name.empty()) return class_name;
  throw NotImplementedError(fmt::format(
      "kerascpp restores metrics named by strings or classes; the model was compiled with "
      "metric {}",
      metric.dump()));
}

// Keras resolves metric names in compile(); kerascpp resolves them on the first batch, when
// the shapes that pick an accuracy are known. Resolving the name for any shapes checks it now,
// with the error compile() would give.
void check_metric(const std::string& identifier) {
  (void)metrics::get(identifier, Shape({None, 2}), Shape({None, 2}));
}

// Keras 3 keeps one list per output for a model compiled with nested lists; a Sequential has
// one output.
void add_metrics(const Json& metrics, std::vector<metrics::MetricArg>& into) {
  if (metrics.is_null()) return;
  if (!metrics.is_array()) {
    throw NotImplementedError(
        fmt::format("kerascpp restores a list of metrics; the model was compiled with metrics={}",
                    metrics.dump()));
  }
  for (const Json& metric : metrics) {
    if (metric.is_array() && metrics.size() == 1) {
      add_metrics(metric, into);
      continue;
    }
    std::string identifier = metric_identifier(metric);
    check_metric(identifier);
    into.emplace_back(std::move(identifier));
  }
}

void refuse_set(const Json& saved, const char* key) {
  if (absent(saved, key) || (saved[key].is_array() && saved[key].empty())) return;
  throw NotImplementedError(fmt::format("kerascpp does not restore {}={}", key, saved[key].dump()));
}

// Keras writes a metric object as its serialised form, a string as itself.
Json saved_metric(const metrics::MetricArg& metric) {
  if (!metric.metric()) return metric.identifier();
  return Json{{"module", "keras.metrics"},
              {"class_name", metric.metric()->class_name()},
              {"config", Json::parse(metric.metric()->get_config())},
              {"registered_name", nullptr}};
}

}  // namespace

void warn_uncompiled(const std::string& path, const Error& error) {
  fmt::print(stderr,
             "UserWarning: the model in '{}' was saved compiled, but kerascpp cannot compile it "
             "as saved, so it is loaded uncompiled: {}\n",
             path, error.what());
  std::fflush(stderr);
}

std::optional<CompileOptions> saved_compile_options(const Json& saved, SavedCompileFormat format) {
  if (!saved.is_object() || absent(saved, "loss")) return std::nullopt;
  const char* optimizer_key =
      format == SavedCompileFormat::keras3 ? "optimizer" : "optimizer_config";
  refuse_set(saved, "loss_weights");
  refuse_set(saved, "weighted_metrics");
  CompileOptions options;
  options.optimizer =
      absent(saved, optimizer_key) ? "rmsprop" : optimizer_from(saved[optimizer_key], format);
  options.loss = loss_from(saved["loss"]);
  if (const auto metrics = saved.find("metrics"); metrics != saved.end()) {
    add_metrics(*metrics, options.metrics);
  }
  return options;
}

std::optional<Json> compile_config_of(const Sequential& model) {
  if (!model.compiled()) return std::nullopt;
  Json metrics = nullptr;  // Keras's None when compile() had none
  for (const metrics::MetricArg& metric : detail::SequentialAccess::compiled_metrics(model)) {
    metrics.push_back(saved_metric(metric));
  }
  return Json{{"optimizer", Json::parse(model.optimizer().to_json())},
              {"loss", Json::parse(model.loss().to_json())},
              {"loss_weights", nullptr},
              {"metrics", std::move(metrics)},
              {"weighted_metrics", nullptr},
              {"run_eagerly", false},
              {"steps_per_execution", 1},
              {"jit_compile", false}};
}

void compile_as_saved(Sequential& model, const Json& saved, SavedCompileFormat format,
                      const std::string& path) {
  try {
    if (auto options = saved_compile_options(saved, format)) {
      model.compile(*std::move(options));
      // As Keras's compile_from_config: the optimizer's variables exist before a saved state
      // is read into them.
      if (model.built()) model.optimizer().build(model.trainable_weights());
    }
  } catch (const Error& error) {
    warn_uncompiled(path, error);
  }
}

void compile_as_saved_text(Sequential& model, const std::string& saved_text,
                           SavedCompileFormat format, const std::string& path) {
  Json saved;
  try {
    saved = parse_json(saved_text, "the saved compile arguments");
  } catch (const Error& error) {
    warn_uncompiled(path, error);
    return;
  }
  compile_as_saved(model, saved, format, path);
}

}  // namespace keras::io
