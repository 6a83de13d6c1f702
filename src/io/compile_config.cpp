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

optimizers::OptimizerArg optimizer_from(Json optimizer, SavedCompileFormat format) {
  if (optimizer.is_string()) return optimizer.get<std::string>();
  if (!optimizer.is_object()) {
    throw ValueError(fmt::format("Could not interpret optimizer identifier: {}", optimizer.dump()));
  }
  if (format == SavedCompileFormat::legacy && optimizer.contains("config") &&
      optimizer["config"].is_object()) {
    Json& config = optimizer["config"];
    if (config.contains("lr") && !config.contains("learning_rate")) {
      config["learning_rate"] = config["lr"];
      config.erase("lr");
    }
  }
  return optimizers::deserialize(optimizer.dump());
}

losses::LossArg loss_from(const Json& loss) {
  if (loss.is_string()) return loss.get<std::string>();
  if (loss.is_object() && loss.contains("class_name")) return losses::deserialize(loss.dump());
  throw NotImplementedError(
      fmt::format("kerascpp restores one loss for one output; the model was compiled with loss={}",
                  loss.dump()));
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
    if (metric.is_string()) {
      into.emplace_back(metric.get<std::string>());
    } else if (metric.is_array() && metrics.size() == 1) {
      add_metrics(metric, into);
    } else {
      throw NotImplementedError(fmt::format(
          "kerascpp restores metrics named by strings; the model was compiled with metric {}",
          metric.dump()));
    }
  }
}

void refuse_set(const Json& saved, const char* key) {
  if (absent(saved, key) || (saved[key].is_array() && saved[key].empty())) return;
  throw NotImplementedError(fmt::format("kerascpp does not restore {}={}", key, saved[key].dump()));
}

}  // namespace

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
  add_metrics(saved.value("metrics", Json()), options.metrics);
  return options;
}

std::optional<Json> compile_config_of(const Sequential& model) {
  if (!model.compiled()) return std::nullopt;
  Json metrics = Json::array();
  for (const metrics::MetricArg& metric : detail::SequentialAccess::compiled_metrics(model)) {
    metrics.push_back(metric.metric() ? metric.metric()->name() : metric.identifier());
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

namespace {

void warn_uncompiled(const std::string& path, const Error& error) {
  fmt::print(stderr,
             "UserWarning: the model in '{}' was saved compiled, but kerascpp cannot compile it "
             "as saved, so it is loaded uncompiled: {}\n",
             path, error.what());
  std::fflush(stderr);
}

}  // namespace

void compile_as_saved(Sequential& model, const Json& saved, SavedCompileFormat format,
                      const std::string& path) {
  try {
    if (auto options = saved_compile_options(saved, format)) model.compile(*std::move(options));
  } catch (const Error& error) {
    warn_uncompiled(path, error);
  }
}

void compile_as_saved(Sequential& model, const std::string& saved_text, SavedCompileFormat format,
                      const std::string& path) {
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
