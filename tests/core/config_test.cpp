// SPDX-License-Identifier: Apache-2.0
#include "keras/config.h"

#include "keras/error.h"
#include "support/expect_error.h"

#include <gtest/gtest.h>

namespace keras {
namespace {

using testing::error_message;

TEST(ConfigTest, DataFormatDefaultsToChannelsLast) {
  EXPECT_EQ(config::image_data_format(), "channels_last");
  EXPECT_EQ(config::standardize_data_format(""), DataFormat::channels_last);
}

TEST(ConfigTest, DataFormatIgnoresCase) {
  EXPECT_EQ(config::standardize_data_format("Channels_First"), DataFormat::channels_first);
}

TEST(ConfigTest, BadDataFormatIsRejectedInKerasWords) {
  EXPECT_EQ(error_message<ValueError>([] { (void)config::standardize_data_format("NCHW"); }),
            "The `data_format` argument must be one of {'channels_first', 'channels_last'}. "
            "Received: data_format=nchw");
}

TEST(ConfigTest, GlobalDataFormatIsTheDefaultOfLayers) {
  config::set_image_data_format("channels_first");
  EXPECT_EQ(config::standardize_data_format(""), DataFormat::channels_first);
  config::set_image_data_format("channels_last");
  EXPECT_EQ(config::image_data_format(), "channels_last");
}

TEST(ConfigTest, SetsTheKernelsThreadCount) {
  const int before = config::num_threads();
  config::set_num_threads(1);
  EXPECT_EQ(config::num_threads(), 1);
  config::set_num_threads(3);
  EXPECT_EQ(config::num_threads(), 3);
  EXPECT_EQ(error_message<ValueError>([] { config::set_num_threads(0); }),
            "The number of threads must be at least 1, got 0");
  config::set_num_threads(before);
}

}  // namespace
}  // namespace keras
