import { useI18n } from 'vue-i18n';

// How a vehicle's class and declared value read on the gate pages: a known class by its name in
// the language, any other class as registered; money in 万元 for zh-CN, in yuan for English.
export function useVehicleLabels() {
  const { t, te } = useI18n();
  return {
    classLabel: (c: string) => (te(`gates.classes.${c}`) ? t(`gates.classes.${c}`) : c),
    money: (yuan: number) => t('gates.money', { wan: (yuan / 10000).toFixed(1), yuan: yuan.toLocaleString('en') }),
  };
}
